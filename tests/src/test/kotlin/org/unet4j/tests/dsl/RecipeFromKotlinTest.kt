package org.unet4j.tests.dsl

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.SkipMode
import org.unet4j.dsl.model.UNet
import org.unet4j.dsl.recipe.AdamOptimizer
import org.unet4j.dsl.recipe.AugmentationSpec
import org.unet4j.dsl.recipe.CombinedLoss
import org.unet4j.dsl.recipe.CrossEntropyLoss
import org.unet4j.dsl.recipe.DataSpec
import org.unet4j.dsl.recipe.DiceLoss
import org.unet4j.dsl.recipe.FocalLoss
import org.unet4j.dsl.recipe.InferenceSpec
import org.unet4j.dsl.recipe.LossSpec
import org.unet4j.dsl.recipe.LossTerm
import org.unet4j.dsl.recipe.Recipe
import org.unet4j.dsl.recipe.Recipes
import org.unet4j.dsl.recipe.StepSchedule
import org.unet4j.dsl.recipe.TestTimeAugmentation
import org.unet4j.dsl.recipe.TrainingSpec
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss
import org.unet4j.tests.golden.GoldenFiles

/**
 * A recipe declared from Kotlin on the Java builders (no positional argument lists), written, read
 * back and overridden. The kotlin module's DSL wraps the same builders.
 */
class RecipeFromKotlinTest {
    private val net = UNet.builder()
        .inputChannels(1).classes(2)
        .contracting { c -> c.stage(16) { it.conv(3).conv(3) }.stage(32) { it.conv(3).padding(Padding.SAME) } }
        .bottleneck(64) { it.conv(3).conv(3).dropout(0.5) }
        .expandingMirrorsContracting()
        .build()

    private val recipe = Recipe.builder("kotlin/tiny")
        .description("declared in Kotlin")
        .model(net)
        .loss(CombinedLoss.builder().term(1.0, WeightedCrossEntropyLoss.paper()).term(0.5, DiceLoss(1.0)).build())
        .augmentation(AugmentationSpec.paper())
        .training {
            it.optimizer(AdamOptimizer.defaults()).learningRate(1e-3).schedule(StepSchedule(500, 0.5))
                .warmupSteps(10).steps(1000).batchSize(2).tile(124).seed(7).checkpointEvery(250).validateEvery(100)
        }
        .inference { it.tile(188).tta(TestTimeAugmentation.MIRRORS) }
        .build()

    @Test
    fun `the builders mean what the positional constructors say`() {
        // optimizer, learningRate, schedule, warmupSteps, steps, batchSize, tile, seed, checkpointEvery, validateEvery
        assertEquals(TrainingSpec(AdamOptimizer.defaults(), 1e-3, StepSchedule(500, 0.5), 10, 1000, 2, 124, 7, 250, 100),
            recipe.training)
        assertEquals(InferenceSpec(188, 1, TestTimeAugmentation.MIRRORS, 0.5, 0, false), recipe.inference)
        assertEquals(DataSpec.none(), recipe.data)
        assertEquals(CombinedLoss(listOf(LossTerm(1.0, WeightedCrossEntropyLoss.paper()), LossTerm(0.5, DiceLoss(1.0)))),
            recipe.loss)
    }

    @Test
    fun `round-trips through JSON`() {
        val text = Recipes.toJson(recipe)
        assertEquals(recipe, Recipes.fromJson(text))
        assertEquals(text, Recipes.toJson(Recipes.fromJson(text)))
        assertEquals(recipe.model.geometry().outputSize(188), Recipes.fromJson(text).model.geometry().outputSize(188))
    }

    @Test
    fun `takes overrides by JSON path`() {
        val changed = Recipes.withOverrides(recipe, listOf("training.steps=60", "model.expanding[1].skip=\"none\""))
        assertEquals(60, changed.training.steps)
        assertEquals(SkipMode.NONE, changed.model.expanding[1].skip)
        assertEquals(recipe.training.tile, changed.training.tile)
    }

    /** Java's sealed interfaces are exhaustive in a Kotlin `when`: no `else` branch is needed. */
    @Test
    fun `reads the every-variant golden file and walks its losses`() {
        val golden = Recipes.fromJson(GoldenFiles.read(1, "every-variant.json"))
        assertEquals(
            "combined(1.0 weighted-cross-entropy, 0.5 cross-entropy, 0.25 dice, 2.0 focal, " +
                "0.1 combined(1.0 weighted-cross-entropy))",
            describe(golden.loss),
        )
    }

    private fun describe(loss: LossSpec): String = when (loss) {
        is WeightedCrossEntropyLoss -> "weighted-cross-entropy"
        is CrossEntropyLoss -> "cross-entropy"
        is DiceLoss -> "dice"
        is FocalLoss -> "focal"
        is CombinedLoss -> loss.terms.joinToString(prefix = "combined(", postfix = ")") {
            "${it.weight} ${describe(it.loss)}"
        }
    }
}
