package org.unet4j.dsl.recipe;

/**
 * The training loss, chosen in a recipe by its logical {@code "type"}: {@code weighted-cross-entropy}
 * (the paper's eq. 1 with the weight map of eq. 2), {@code cross-entropy}, {@code dice},
 * {@code focal} or a weighted {@code combined} sum of these.
 */
public sealed interface LossSpec
    permits WeightedCrossEntropyLoss, CrossEntropyLoss, DiceLoss, FocalLoss, CombinedLoss {}
