@NullMarked
package org.unet4j.dsl.geometry;

import org.jspecify.annotations.NullMarked;
