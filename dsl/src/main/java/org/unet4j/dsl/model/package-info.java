@NullMarked
package org.unet4j.dsl.model;

import org.jspecify.annotations.NullMarked;
