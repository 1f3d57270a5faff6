/**
 * The demo on the bundled nuclei images: train, predict the held-out images, evaluate them beside a
 * classical baseline, and a one-page report. A client of the runtime, as {@code bench} is; nothing
 * in the runtime imports it.
 */
@NullMarked
package org.unet4j.recipes.demo;

import org.jspecify.annotations.NullMarked;
