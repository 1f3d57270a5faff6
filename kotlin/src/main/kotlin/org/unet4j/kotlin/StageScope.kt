package org.unet4j.kotlin

import org.unet4j.dsl.model.Activation
import org.unet4j.dsl.model.Normalization
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.StageBuilder

/**
 * The body of a stage: `stage(64) { conv(3); conv(3); dropout(0.5) }`. What a stage does not say
 * comes from the model's defaults.
 */
@Unet4jDsl
public open class StageScope internal constructor(internal val builder: StageBuilder) {
    /** One more `kernel x kernel` convolution; the convolutions of a stage share one kernel size. */
    public fun conv(kernel: Int) {
        builder.conv(kernel)
    }

    /** [count] convolutions at once. */
    public fun convs(count: Int) {
        builder.convs(count)
    }

    /** The kernel size of this stage's convolutions. */
    public fun kernel(size: Int) {
        builder.kernel(size)
    }

    public fun padding(padding: Padding) {
        builder.padding(padding)
    }

    public fun activation(activation: Activation) {
        builder.activation(activation)
    }

    public fun normalization(normalization: Normalization) {
        builder.normalization(normalization)
    }

    /** Batch normalization after every convolution of this stage. */
    public fun batchNorm() {
        builder.batchNorm()
    }

    /** Group normalization in [groups] channel groups after every convolution of this stage. */
    public fun groupNorm(groups: Int) {
        builder.groupNorm(groups)
    }

    /** Instance normalization (one group per channel) after every convolution of this stage. */
    public fun instanceNorm() {
        builder.instanceNorm()
    }

    /** Leaky ReLU with [slope] for negative inputs after every convolution of this stage. */
    public fun leakyRelu(slope: Double = Activation.DEFAULT_LEAKY_SLOPE) {
        builder.leakyRelu(slope)
    }

    /**
     * A residual stage: its input (centre-cropped when unpadded, through a 1x1 projection when the
     * channels change) is added to the last convolution before its activation.
     */
    public fun residual() {
        builder.residual()
    }

    /** 3D nets: the kernel size along z (1: planar `1 x k x k` convolutions for coarse z spacing). */
    public fun kernelZ(size: Int) {
        builder.kernelZ(size)
    }

    /** 3D nets, contracting stages: the pooling window along z after this stage (1: pool x/y only). */
    public fun poolZ(size: Int) {
        builder.poolZ(size)
    }

    /** 3D nets: `1 x k x k` convolutions and, after a contracting stage, `1 x p x p` pooling. */
    public fun planar() {
        builder.planar()
    }

    /** Output channels of the stage's first convolution, when they differ from the stage's filters. */
    public fun firstConvFilters(filters: Int) {
        builder.firstConvFilters(filters)
    }

    /** Dropout after the stage's last convolution, in training only. */
    public fun dropout(rate: Double) {
        builder.dropout(rate)
    }
}
