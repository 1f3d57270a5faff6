package org.unet4j.kotlin

import org.unet4j.dsl.recipe.CombinedLoss
import org.unet4j.dsl.recipe.LossSpec

/** The body of `combined { }`: the weighted terms of the sum. */
@Unet4jDsl
public class CombinedLossScope internal constructor(private val builder: CombinedLoss.Builder) {
    /** Adds [weight] times [loss]; a bad weight is reported as `terms[i].weight`. */
    public fun term(weight: Double, loss: LossSpec) {
        builder.term(weight, loss)
    }
}
