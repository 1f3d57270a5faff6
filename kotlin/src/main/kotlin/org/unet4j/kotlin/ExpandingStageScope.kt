package org.unet4j.kotlin

import org.unet4j.dsl.model.SkipMode
import org.unet4j.dsl.model.StageBuilder

/** An expanding stage: a stage that also says how the skip from its contracting partner is used. */
public class ExpandingStageScope internal constructor(builder: StageBuilder) : StageScope(builder) {
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

    /** No skip connection at this level. */
    public fun noSkip() {
        builder.noSkip()
    }
}
