package org.unet4j.dsl.recipe;

/**
 * One augmentation, chosen in a recipe by its logical {@code "type"}. Geometric transforms of one
 * sample are composed into one displacement field and applied to image, labels and weights alike.
 */
public sealed interface TransformSpec
    permits ElasticTransform, RotationTransform, ShiftTransform, FlipTransform, ScaleTransform,
        GrayValueTransform {

  /** The chance that this transform is applied to a sample. */
  double probability();
}
