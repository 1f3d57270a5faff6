package org.unet4j.kotlin

import org.unet4j.dsl.model.ExpandingStageBuilder
import org.unet4j.dsl.model.SkipMode
import org.unet4j.dsl.model.Upsampling

/** An expanding stage: a stage that also says how the skip from its contracting partner is used. */
public class ExpandingStageScope internal constructor(private val builder: ExpandingStageBuilder) :
    StageOptionsScope(builder) {
    /** 3D nets: planar `1 x k x k` convolutions; the stage up-samples by its contracting partner's pooling. */
    public fun planar() {
        builder.planar()
    }

    /** How the skip from the contracting stage at this level is used. */
    public fun skip(mode: SkipMode) {
        builder.skip(mode)
    }

    /** Output channels of the up-convolution, when they differ from the stage's filters. */
    public fun upConvFilters(filters: Int) {
        builder.upConvFilters(filters)
    }

    /** An attention-gated skip (Oktay et al. 2018): the cropped skip weighted by attention coefficients. */
    public fun attentionSkip() {
        builder.attentionSkip()
    }

    /** How the coarser map is brought up to this level: the up-convolution or bilinear upsampling. */
    public fun upsampling(mode: Upsampling) {
        builder.upsampling(mode)
    }

    /** Bilinear upsampling and a learnt 3x3 convolution instead of the up-convolution. */
    public fun bilinearUpsampling() {
        builder.bilinearUpsampling()
    }

    /** No skip connection at this level. */
    public fun noSkip() {
        builder.noSkip()
    }
}
