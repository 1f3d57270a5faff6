package org.unet4j.kotlin

import org.unet4j.dsl.recipe.InferenceSpec
import org.unet4j.dsl.recipe.InstanceMethod
import org.unet4j.dsl.recipe.ProbabilityOf
import org.unet4j.dsl.recipe.TestTimeAugmentation
import org.unet4j.dsl.recipe.ThinningMethod

/** The body of `inference { }`: overlap-tile prediction, test-time augmentation, post-processing. */
@Unet4jDsl
public class InferenceScope internal constructor(private val builder: InferenceSpec.Builder) {
    /** Input tile size in pixels; must be valid for the model. */
    public var tile: Int
        get() = builder.tile()
        set(value) {
            builder.tile(value)
        }

    /** Tiles predicted together. */
    public var batchSize: Int
        get() = builder.batchSize()
        set(value) {
            builder.batchSize(value)
        }

    public var tta: TestTimeAugmentation
        get() = builder.tta()
        set(value) {
            builder.tta(value)
        }

    /** Foreground probability above which a pixel is foreground. */
    public var threshold: Double
        get() = builder.threshold()
        set(value) {
            builder.threshold(value)
        }

    /** Objects smaller than this many pixels are dropped. */
    public var minObjectSize: Int
        get() = builder.minObjectSize()
        set(value) {
            builder.minObjectSize(value)
        }

    public var fillHoles: Boolean
        get() = builder.fillHoles()
        set(value) {
            builder.fillHoles(value)
        }

    public var instances: InstanceMethod
        get() = builder.instances()
        set(value) {
            builder.instances(value)
        }

    /** Watershed seeds: object cores with a foreground probability above this. */
    public var seedThreshold: Double
        get() = builder.seedThreshold()
        set(value) {
            builder.seedThreshold(value)
        }

    /** Distance-watershed seeds: distance maxima at least this many pixels above the saddle to a higher one. */
    public var seedDepth: Double
        get() = builder.seedDepth()
        set(value) {
            builder.seedDepth(value)
        }

    /** What NAME_prob.tif holds: foreground (cell) or background (ISBI 2012: membrane) probability. */
    public var probabilityOf: ProbabilityOf
        get() = builder.probabilityOf()
        set(value) {
            builder.probabilityOf(value)
        }

    /** The class seeding the objects of a net of 3 or more classes (its interior class), or 0 for the foreground. */
    public var instanceClass: Int
        get() = builder.instanceClass()
        set(value) {
            builder.instanceClass(value)
        }

    /** Whether a net of 3 or more classes also writes one instance labelling per class k >= 1 (NAME_class_labels.tif). */
    public var instancesPerClass: Boolean
        get() = builder.instancesPerClass()
        set(value) {
            builder.instancesPerClass(value)
        }

    /** A 3D net's input tile along z in planes (tile is the y and x size); 0 for the valid size nearest tile. */
    public var tileZ: Int
        get() = builder.tileZ()
        set(value) {
            builder.tileZ(value)
        }

    /**
     * Whether and how the boundaries between the regions above the threshold are thinned to one-pixel dams:
     * [ThinningMethod.NONE], [ThinningMethod.BORDER] (the ISBI challenge's border thinning) or
     * [ThinningMethod.RIDGE] (a watershed of the foreground probability, dams on the boundary's ridge); the
     * boundary pixels that join a region are raised just above the threshold (at most to the threshold + 0.01, in
     * the order of their own probabilities). A method other than ridge sets [thinFloor] to 0.
     */
    public var thinBoundaries: ThinningMethod
        get() = builder.thinBoundaries()
        set(value) {
            builder.thinBoundaries(value)
        }

    /** Ridge thinning only: boundary pixels whose foreground probability is below this stay as predicted; 0 thins all. */
    public var thinFloor: Double
        get() = builder.thinFloor()
        set(value) {
            builder.thinFloor(value)
        }
}
