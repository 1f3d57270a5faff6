package org.unet4j.kotlin

import org.unet4j.dsl.recipe.AugmentationSpec
import org.unet4j.dsl.recipe.ElasticTransform
import org.unet4j.dsl.recipe.FlipTransform
import org.unet4j.dsl.recipe.GrayValueTransform
import org.unet4j.dsl.recipe.Interpolation
import org.unet4j.dsl.recipe.RotationTransform
import org.unet4j.dsl.recipe.ScaleTransform
import org.unet4j.dsl.recipe.ShiftTransform
import org.unet4j.dsl.recipe.TransformSpec

private val ELASTIC: ElasticTransform = ElasticTransform.builder().build()
private val FLIP: FlipTransform = FlipTransform.builder().build()
private val ROTATION: RotationTransform = RotationTransform.builder().build()
private val SHIFT: ShiftTransform = ShiftTransform.builder().build()
private val SCALE: ScaleTransform = ScaleTransform.builder().build()
private val GRAY_VALUE: GrayValueTransform = GrayValueTransform.builder().build()

/**
 * The body of `augmentation { }`: the transforms in the order they are applied, each with the
 * recipe format's defaults for what is not named. A transform out of range is reported with its
 * place, `augmentation.transforms[1].sigma`.
 */
@Unet4jDsl
public class AugmentationScope internal constructor(private val builder: AugmentationSpec.Builder) {
    /** Image resampling under geometric transforms (labels always use nearest neighbour). */
    public var interpolation: Interpolation
        get() = builder.interpolation()
        set(value) {
            builder.interpolation(value)
        }

    /** The transforms declared so far. */
    public val transforms: List<TransformSpec>
        get() = builder.transforms()

    /** Appends a transform built elsewhere. */
    public fun add(transform: TransformSpec) {
        builder.add(transform)
    }

    /** The paper's elastic deformation: Gaussian displacements on a coarse grid (Sec. 3.1). */
    public fun elastic(probability: Double = ELASTIC.probability, grid: Int = ELASTIC.grid, sigma: Double = ELASTIC.sigma) {
        builder.elastic { it.probability(probability).grid(grid).sigma(sigma) }
    }

    /** Random mirrors and, with `DIHEDRAL`, quarter turns. */
    public fun flip(probability: Double = FLIP.probability, symmetry: FlipTransform.Symmetry = FLIP.symmetry) {
        builder.flip { it.probability(probability).symmetry(symmetry) }
    }

    /** Rotation by a uniform random angle up to [maxDegrees]. */
    public fun rotation(probability: Double = ROTATION.probability, maxDegrees: Double = ROTATION.maxDegrees) {
        builder.rotation { it.probability(probability).maxDegrees(maxDegrees) }
    }

    /** Translation by up to [maxPixels] along each axis. */
    public fun shift(probability: Double = SHIFT.probability, maxPixels: Double = SHIFT.maxPixels) {
        builder.shift { it.probability(probability).maxPixels(maxPixels) }
    }

    /** Isotropic zoom by a factor drawn log-uniformly from [minFactor, maxFactor]. */
    public fun scale(
        probability: Double = SCALE.probability,
        minFactor: Double = SCALE.minFactor,
        maxFactor: Double = SCALE.maxFactor,
    ) {
        builder.scale { it.probability(probability).minFactor(minFactor).maxFactor(maxFactor) }
    }

    /** Brightness, contrast, gamma and noise changes on normalised intensities. */
    public fun grayValue(
        probability: Double = GRAY_VALUE.probability,
        brightness: Double = GRAY_VALUE.brightness,
        contrast: Double = GRAY_VALUE.contrast,
        gamma: Double = GRAY_VALUE.gamma,
        noise: Double = GRAY_VALUE.noise,
    ) {
        builder.grayValue {
            it.probability(probability).brightness(brightness).contrast(contrast).gamma(gamma).noise(noise)
        }
    }
}
