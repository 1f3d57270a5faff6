package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;

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
}
