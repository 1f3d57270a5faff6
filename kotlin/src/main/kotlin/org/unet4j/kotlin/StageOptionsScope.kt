package org.unet4j.kotlin

import org.unet4j.dsl.model.Activation
import org.unet4j.dsl.model.Normalization
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.StageOptions

/**
 * What the body of every stage can say, contracting, bottleneck or expanding:
 * `stage(64) { conv(3); conv(3); dropout(0.5) }`. What a stage does not say comes from the model's
 * defaults. [StageScope] and [ExpandingStageScope] add what only their kind of stage has.
 */
@Unet4jDsl
public abstract class StageOptionsScope internal constructor(private val options: StageOptions<*>) {
    /** One more `kernel x kernel` convolution; each has its own kernel size (`conv(3); conv(5)`). */
    public fun conv(kernel: Int) {
        options.conv(kernel)
    }

    /** [count] convolutions at once. */
    public fun convs(count: Int) {
        options.convs(count)
    }

    /** The kernel size of every convolution of this stage, those declared by [conv] so far included. */
    public fun kernel(size: Int) {
        options.kernel(size)
    }

    public fun padding(padding: Padding) {
        options.padding(padding)
    }

    public fun activation(activation: Activation) {
        options.activation(activation)
    }

    public fun normalization(normalization: Normalization) {
        options.normalization(normalization)
    }

    /** Batch normalization after every convolution of this stage. */
    public fun batchNorm() {
        options.batchNorm()
    }

    /** Group normalization in [groups] channel groups after every convolution of this stage. */
    public fun groupNorm(groups: Int) {
        options.groupNorm(groups)
    }

    /** Instance normalization (one group per channel) after every convolution of this stage. */
    public fun instanceNorm() {
        options.instanceNorm()
    }

    /** Leaky ReLU with [slope] for negative inputs after every convolution of this stage. */
    public fun leakyRelu(slope: Double = Activation.DEFAULT_LEAKY_SLOPE) {
        options.leakyRelu(slope)
    }

    /**
     * A residual stage: its input (centre-cropped when unpadded, through a 1x1 projection when the
     * channels change) is added to the last convolution before its activation.
     */
    public fun residual() {
        options.residual()
    }

    /** 3D nets: the kernel size along z (1: planar `1 x k x k` convolutions for coarse z spacing). */
    public fun kernelZ(size: Int) {
        options.kernelZ(size)
    }

    /** Dropout after the stage's last convolution, in training only. */
    public fun dropout(rate: Double) {
        options.dropout(rate)
    }
}
