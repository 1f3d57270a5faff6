@NullMarked
package org.unet4j.dsl.recipe;

import org.jspecify.annotations.NullMarked;
