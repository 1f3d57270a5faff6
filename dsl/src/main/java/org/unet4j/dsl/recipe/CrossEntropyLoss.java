package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Doc;
import org.unet4j.dsl.TypeName;

/** Plain pixel-wise soft-max cross-entropy, every pixel weighted 1. */
@TypeName("cross-entropy")
@Doc("Plain pixel-wise soft-max cross-entropy.")
public record CrossEntropyLoss() implements LossSpec {}
