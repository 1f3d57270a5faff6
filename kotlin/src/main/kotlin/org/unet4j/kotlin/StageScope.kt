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

    /** Dropout after the stage's last convolution, in training only. */
    public fun dropout(rate: Double) {
        builder.dropout(rate)
    }
}
