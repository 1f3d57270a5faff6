@NullMarked
package org.unet4j.dsl.json;

import org.jspecify.annotations.NullMarked;
