package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.SpecException;

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

  /** A builder without transforms and with bicubic resampling, the recipe format's defaults. */
  public static Builder builder() {
    return none().toBuilder();
  }

  /** A builder that starts from this spec's transforms and resampling, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds an augmentation spec transform by transform, in the order they are applied. A transform
   * declared through its own builder ({@code elastic(e -> e.sigma(12))}) that is out of range is
   * reported with its place: {@code transforms[0].sigma}.
   */
  public static final class Builder {
    private final List<TransformSpec> transforms;
    private Interpolation interpolation;

    private Builder(AugmentationSpec from) {
      this.transforms = new ArrayList<>(from.transforms());
      this.interpolation = from.interpolation();
    }

    /** Appends a transform, applied after those declared before it. */
    public Builder add(TransformSpec transform) {
      transforms.add(checkNotNull(transform, "transform"));
      return this;
    }

    /** Replaces all transforms. */
    public Builder transforms(List<? extends TransformSpec> transforms) {
      this.transforms.clear();
      transforms.forEach(this::add);
      return this;
    }

    /** The transforms declared so far. */
    public List<TransformSpec> transforms() {
      return ImmutableList.copyOf(transforms);
    }

    /** Appends an elastic deformation, from the format's defaults (the paper's 3x3 grid, 10 px). */
    public Builder elastic(Consumer<ElasticTransform.Builder> transform) {
      return append(ElasticTransform.builder(), transform, ElasticTransform.Builder::build);
    }

    /** Appends a flip (mirrors, or all 8 dihedral transforms by default). */
    public Builder flip(Consumer<FlipTransform.Builder> transform) {
      return append(FlipTransform.builder(), transform, FlipTransform.Builder::build);
    }

    /** Appends a rotation (up to 180 degrees by default). */
    public Builder rotation(Consumer<RotationTransform.Builder> transform) {
      return append(RotationTransform.builder(), transform, RotationTransform.Builder::build);
    }

    /** Appends a shift (up to 16 px by default). */
    public Builder shift(Consumer<ShiftTransform.Builder> transform) {
      return append(ShiftTransform.builder(), transform, ShiftTransform.Builder::build);
    }

    /** Appends a zoom (0.8 to 1.25 by default). */
    public Builder scale(Consumer<ScaleTransform.Builder> transform) {
      return append(ScaleTransform.builder(), transform, ScaleTransform.Builder::build);
    }

    /** Appends a gray-value change. */
    public Builder grayValue(Consumer<GrayValueTransform.Builder> transform) {
      return append(GrayValueTransform.builder(), transform, GrayValueTransform.Builder::build);
    }

    /** Image resampling under geometric transforms (labels always use nearest neighbour). */
    public Builder interpolation(Interpolation interpolation) {
      this.interpolation = checkNotNull(interpolation, "interpolation");
      return this;
    }

    public Interpolation interpolation() {
      return interpolation;
    }

    public AugmentationSpec build() {
      return new AugmentationSpec(transforms, interpolation);
    }

    /** Appends what {@code builder} builds once {@code change} has set it, errors under its index. */
    private <B> Builder append(B builder, Consumer<B> change, Function<B, TransformSpec> build) {
      change.accept(builder);
      return add(transforms.size(), () -> build.apply(builder));
    }

    private Builder add(int index, Supplier<TransformSpec> transform) {
      try {
        return add(transform.get());
      } catch (SpecException e) {
        throw e.under("transforms[" + index + "]");
      }
    }
  }
}
