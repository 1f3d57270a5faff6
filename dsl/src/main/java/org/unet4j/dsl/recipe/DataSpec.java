package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.json.SpecJson;

/**
 * Where the training data is and how to read it. Images and labels are folders or glob patterns,
 * paired by file name; relative paths resolve against the recipe file's folder (bundled recipes:
 * the unet4j installation folder, where the bundled data lies). A training run records them
 * resolved to absolute paths in its {@code recipe.json}. Empty patterns are allowed for recipes
 * used only to predict.
 */
@Doc("Training images and labels, label format, normalisation and validation split.")
public record DataSpec(
    @Doc("folder or glob of training images") @Default("\"\"") String images,
    @Doc("folder or glob of label images, paired with images by file name") @Default("\"\"") String labels,
    @Doc("instance (0 background, k cell k), color-components (BBBC039 masks), binary (instances are the"
        + " connected components) or isbi-membrane (255 cell, 0 membrane)")
        @Default("\"instance\"") LabelFormat labelFormat,
    NormalizationSpec normalization,
    @Doc("fraction of the images held out for validation (split by the training seed)") @Default("0.2")
        @Range(min = 0, max = 1, maxExclusive = true) double validationFraction) {

  public DataSpec {
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    checkNotNull(labelFormat, "labelFormat");
    checkNotNull(normalization, "normalization");
    Specs.checkComponent(DataSpec.class, "validationFraction", validationFraction);
  }

  /** No data: a recipe used for prediction only. */
  public static DataSpec none() {
    return new DataSpec("", "", LabelFormat.INSTANCE, NormalizationSpec.percentile(), 0.2);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final DataSpec DEFAULTS = SpecJson.defaults(DataSpec.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a data spec: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private String images;
    private String labels;
    private LabelFormat labelFormat;
    private NormalizationSpec normalization;
    private double validationFraction;

    private Builder(DataSpec from) {
      this.images = from.images();
      this.labels = from.labels();
      this.labelFormat = from.labelFormat();
      this.normalization = from.normalization();
      this.validationFraction = from.validationFraction();
    }

    /** Folder or glob of training images. */
    public Builder images(String images) {
      this.images = checkNotNull(images, "images");
      return this;
    }

    public String images() {
      return images;
    }

    /** Folder or glob of label images, paired with the images by file name. */
    public Builder labels(String labels) {
      this.labels = checkNotNull(labels, "labels");
      return this;
    }

    public String labels() {
      return labels;
    }

    /** How the label images encode cells. */
    public Builder labelFormat(LabelFormat labelFormat) {
      this.labelFormat = checkNotNull(labelFormat, "labelFormat");
      return this;
    }

    public LabelFormat labelFormat() {
      return labelFormat;
    }

    /** Intensity normalisation of the input images. */
    public Builder normalization(NormalizationSpec normalization) {
      this.normalization = checkNotNull(normalization, "normalization");
      return this;
    }

    public NormalizationSpec normalization() {
      return normalization;
    }

    /** Fraction of the images held out for validation. */
    public Builder validationFraction(double validationFraction) {
      this.validationFraction = validationFraction;
      return this;
    }

    public double validationFraction() {
      return validationFraction;
    }

    public DataSpec build() {
      return new DataSpec(images, labels, labelFormat, normalization, validationFraction);
    }
  }
}
