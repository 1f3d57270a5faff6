package org.unet4j.kotlin

import org.unet4j.dsl.model.ContractingBuilder

/** The body of `contracting { }`: the stages from the input down, each followed by pooling. */
@Unet4jDsl
public class ContractingScope internal constructor(private val builder: ContractingBuilder) {
    /** The next stage down with [filters] output channels; without a block, the model's defaults. */
    public fun stage(filters: Int, block: StageScope.() -> Unit = {}) {
        builder.stage(filters) { StageScope(it).block() }
    }
}
