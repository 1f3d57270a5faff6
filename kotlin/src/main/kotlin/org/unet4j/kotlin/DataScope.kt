package org.unet4j.kotlin

import org.unet4j.dsl.recipe.DataSpec
import org.unet4j.dsl.recipe.IntensityScaling
import org.unet4j.dsl.recipe.LabelFormat
import org.unet4j.dsl.recipe.NormalizationSpec

/** The body of `data { }`: where the training images and labels are and how to read them. */
@Unet4jDsl
public class DataScope internal constructor(private val builder: DataSpec.Builder) {
    /** Folder or glob of training images, relative to the recipe file's folder; or [pair] them explicitly. */
    public var images: String
        get() = builder.images()
        set(value) {
            builder.images(value)
        }

    /** Folder or glob of label images, paired with the images by file name. */
    public var labels: String
        get() = builder.labels()
        set(value) {
            builder.labels(value)
        }

    /**
     * Pairs an image file (a stack pairs page by page), folder or glob with its labels whatever their
     * names, after the pairs given so far; the recipe then names no [images] and [labels].
     */
    public fun pair(images: String, labels: String) {
        builder.pair(images, labels)
    }

    public var labelFormat: LabelFormat
        get() = builder.labelFormat()
        set(value) {
            builder.labelFormat(value)
        }

    public var normalization: NormalizationSpec
        get() = builder.normalization()
        set(value) {
            builder.normalization(value)
        }

    /** Fraction of the images held out for validation. */
    public var validationFraction: Double
        get() = builder.validationFraction()
        set(value) {
            builder.validationFraction(value)
        }

    /** Raw label value of unannotated pixels (weight 0, never scored), [DataSpec.NO_IGNORE_LABEL] for none. */
    public var ignoreLabel: Int
        get() = builder.ignoreLabel()
        set(value) {
            builder.ignoreLabel(value)
        }

    /** For [LabelFormat.CLASS_COLORS]: the `[r, g, b]` colour of each class, class 0 first. */
    public var classColors: List<List<Int>>
        get() = builder.classColors()
        set(value) {
            builder.classColors(value)
        }

    /** Intensity normalisation; what is not named keeps its current value. */
    public fun normalization(
        scaling: IntensityScaling = normalization.scaling,
        low: Double = normalization.low,
        high: Double = normalization.high,
    ) {
        normalization = normalization.toBuilder().scaling(scaling).low(low).high(high).build()
    }
}
