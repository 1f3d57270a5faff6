package org.unet4j.kotlin

import org.unet4j.dsl.model.StageBuilder

/** The body of a contracting stage or of the bottleneck; only these have z pooling and first-conv channels. */
public class StageScope internal constructor(private val builder: StageBuilder) : StageOptionsScope(builder) {
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
}
