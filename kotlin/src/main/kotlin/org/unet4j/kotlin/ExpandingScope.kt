package org.unet4j.kotlin

import org.unet4j.dsl.model.ExpandingBuilder

/** The body of `expanding { }`: the stages from the bottleneck up; stage i pairs with contracting[depth-1-i]. */
@Unet4jDsl
public class ExpandingScope internal constructor(private val builder: ExpandingBuilder) {
    /** The next stage up: up-convolution to [filters] channels, skip, convolutions. */
    public fun stage(filters: Int, block: ExpandingStageScope.() -> Unit = {}) {
        builder.stage(filters) { ExpandingStageScope(it).block() }
    }
}
