package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;

/**
 * The augmentations applied to every training sample, in order; the seed lives in the training
 * spec so one number fixes the whole run.
 */
@Doc("Augmentations applied to each training sample.")
public record AugmentationSpec(
    @Doc("the transforms, applied in order, each with its probability") @Default("[]")
        List<TransformSpec> transforms,
    @Doc("image resampling (labels use nearest neighbour)") @Default("\"bicubic\"")
        Interpolation interpolation) {

  public AugmentationSpec {
    transforms = ImmutableList.copyOf(transforms);
    checkNotNull(interpolation, "interpolation");
  }

  /** No augmentation. */
  public static AugmentationSpec none() {
    return new AugmentationSpec(List.of(), Interpolation.BICUBIC);
  }

  /** The paper's augmentation: elastic deformation, shifts, rotations and gray-value changes. */
  public static AugmentationSpec paper() {
    return new AugmentationSpec(List.of(
        ElasticTransform.paper(),
        new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL),
        new RotationTransform(0.5, 180),
        new ShiftTransform(1, 16),
        new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02)), Interpolation.BICUBIC);
  }
}
