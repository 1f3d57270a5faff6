@NullMarked
package org.unet4j.dsl;

import org.jspecify.annotations.NullMarked;
