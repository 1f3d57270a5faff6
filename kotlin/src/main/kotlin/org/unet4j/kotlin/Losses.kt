package org.unet4j.kotlin

import org.unet4j.dsl.json.SpecJson
import org.unet4j.dsl.recipe.ClassBalance
import org.unet4j.dsl.recipe.CombinedLoss
import org.unet4j.dsl.recipe.CrossEntropyLoss
import org.unet4j.dsl.recipe.DiceLoss
import org.unet4j.dsl.recipe.FocalLoss
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss

private val WEIGHTED: WeightedCrossEntropyLoss = WeightedCrossEntropyLoss.builder().build()
private val DICE: DiceLoss = SpecJson.defaults(DiceLoss::class.java)
private val FOCAL: FocalLoss = SpecJson.defaults(FocalLoss::class.java)

/** The paper's weighted cross-entropy (eq. 1) with the separation weight map (eq. 2). */
public fun weightedCrossEntropy(
    w0: Double = WEIGHTED.w0,
    sigma: Double = WEIGHTED.sigma,
    classBalance: ClassBalance = WEIGHTED.classBalance,
    classWeights: List<Double> = WEIGHTED.classWeights,
): WeightedCrossEntropyLoss =
    WeightedCrossEntropyLoss.builder().w0(w0).sigma(sigma).classBalance(classBalance).classWeights(classWeights).build()

/** Plain pixel-wise soft-max cross-entropy. */
public fun crossEntropy(): CrossEntropyLoss = CrossEntropyLoss()

/** Soft Dice over the foreground classes, with smoothing term [smooth]. */
public fun dice(smooth: Double = DICE.smooth): DiceLoss = DiceLoss(smooth)

/** Focal loss with focusing exponent [gamma]. */
public fun focal(gamma: Double = FOCAL.gamma): FocalLoss = FocalLoss(gamma)

/** A weighted sum: `combined { term(1.0, weightedCrossEntropy()); term(0.5, dice()) }`. */
public fun combined(block: CombinedLossScope.() -> Unit): CombinedLoss {
    val builder = CombinedLoss.builder()
    CombinedLossScope(builder).block()
    return builder.build()
}
