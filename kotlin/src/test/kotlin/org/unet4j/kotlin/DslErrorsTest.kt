package org.unet4j.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.unet4j.dsl.SpecException
import org.unet4j.dsl.model.PoolingKind
import org.unet4j.dsl.model.UNet
import org.unet4j.dsl.recipe.Recipe
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss

/**
 * Mistakes made in the DSL: each is the Java builder's [SpecException], with the same spec path and
 * message as the same mistake made on the Java builders (both are asserted).
 */
class DslErrorsTest {
    private val small = unet { depth(2); baseFilters(8) }

    private fun same(kotlin: () -> Unit, java: () -> Unit, message: String, path: String) {
        val fromKotlin = assertThrows<SpecException> { kotlin() }
        val fromJava = assertThrows<SpecException> { java() }
        assertEquals(message, fromKotlin.message)
        assertEquals(path, fromKotlin.path())
        assertEquals(fromJava.message, fromKotlin.message)
    }

    @Test
    fun `an even kernel among a stage's own`() = same(
        { unet { contracting { stage(64) { conv(3); conv(4) } }; bottleneck(128) } },
        { UNet.builder().contracting { c -> c.stage(64) { it.conv(3).conv(4) } }.bottleneck(128).build() },
        "contracting[0].kernels[1]: conv2: expected an odd size 1..15 so that crops stay centred (1, 3, 5, ...), got 4",
        "contracting[0].kernels[1]",
    )

    @Test
    fun `a stage with too many convolutions`() = same(
        { unet { contracting { stage(8); stage(16) { convs(9) } }; bottleneck(32) } },
        { UNet.builder().contracting { c -> c.stage(8).stage(16) { it.convs(9) } }.bottleneck(32).build() },
        "contracting[1].convs: expected 1..8, got 9", "contracting[1].convs",
    )

    @Test
    fun `an even kernel`() = same(
        { unet { contracting { stage(8); stage(16) { conv(4) } }; bottleneck(32) } },
        { UNet.builder().contracting { c -> c.stage(8).stage(16) { it.conv(4) } }.bottleneck(32).build() },
        "contracting[1].kernel: expected an odd size so that crops stay centred (1, 3, 5, ...), got 4",
        "contracting[1].kernel",
    )

    @Test
    fun `more expanding than contracting stages`() = same(
        { unet { contracting { stage(8); stage(16) }; bottleneck(32); expanding { stage(16); stage(8); stage(4) } } },
        { UNet.builder().contracting { c -> c.stage(8).stage(16) }.bottleneck(32).expanding { e -> e.stage(16).stage(8).stage(4) }.build() },
        "expanding: expected at most 2 stages (one per contracting stage to pair with), got 3", "expanding",
    )

    @Test
    fun `depth that contradicts the declared stages`() = same(
        { unet { depth(3); contracting { stage(8); stage(16) }; bottleneck(32) } },
        { UNet.builder().depth(3).contracting { c -> c.stage(8).stage(16) }.bottleneck(32).build() },
        "contracting: depth(3) was set but 2 stages were declared; drop depth() or declare 3 stages", "contracting",
    )

    @Test
    fun `a pooling size out of range`() = same(
        { unet { pooling(PoolingKind.MAX, 5) } },
        { UNet.builder().pooling(PoolingKind.MAX, 5).build() },
        "pooling.size: expected 2..4, got 5", "pooling.size",
    )

    @Test
    fun `a dropout of 1 in the bottleneck`() = same(
        { unet { contracting { stage(16); stage(32) }; bottleneck(64) { dropout(1.0) } } },
        { UNet.builder().contracting { c -> c.stage(16).stage(32) }.bottleneck(64) { it.dropout(1.0) }.build() },
        "bottleneck.dropout: expected 0 <= x < 1, got 1", "bottleneck.dropout",
    )

    @Test
    fun `negative training steps`() = same(
        { recipe("x") { model = small; training { steps = -5 } } },
        { Recipe.builder("x").model(small).training { it.steps(-5) }.build() },
        "training.steps: expected 1..1000000000, got -5", "training.steps",
    )

    @Test
    fun `a warm-up as long as the run`() = same(
        { recipe("x") { model = small; training { steps = 10; warmupSteps = 10 } } },
        { Recipe.builder("x").model(small).training { it.steps(10).warmupSteps(10) }.build() },
        "training.warmupSteps: expected fewer than steps (10), got 10", "training.warmupSteps",
    )

    @Test
    fun `a training tile the model cannot take`() = same(
        { recipe("x") { model = UNet.paper(); training { tile = 512 } } },
        { Recipe.builder("x").model(UNet.paper()).training { it.tile(512) }.build() },
        "training.tile: tile 512 does not fit the model: model.contracting[2].pool: 2x2 max pooling needs " +
            "a size divisible by 2, got 121x121. Received: input 512; valid near it: 508, 524",
        "training.tile",
    )

    @Test
    fun `an inference threshold above 1`() = same(
        { recipe("x") { model = UNet.paper(); inference { threshold = 1.5 } } },
        { Recipe.builder("x").model(UNet.paper()).inference { it.threshold(1.5) }.build() },
        "inference.threshold: expected 0..1, got 1.5", "inference.threshold",
    )

    @Test
    fun `a validation fraction of 1`() = same(
        { recipe("x") { model = UNet.paper(); data { validationFraction = 1.0 } } },
        { Recipe.builder("x").model(UNet.paper()).data { it.validationFraction(1.0) }.build() },
        "data.validationFraction: expected 0 <= x < 1, got 1", "data.validationFraction",
    )

    @Test
    fun `an elastic grid of 1 as the second transform`() = same(
        { recipe("x") { model = UNet.paper(); augmentation { flip(); elastic(grid = 1) } } },
        { Recipe.builder("x").model(UNet.paper()).augmentation { a -> a.flip {}.elastic { it.grid(1) } }.build() },
        "augmentation.transforms[1].grid: expected 2..64, got 1", "augmentation.transforms[1].grid",
    )

    @Test
    fun `a scale whose smallest factor is above its largest`() = same(
        { recipe("x") { model = UNet.paper(); augmentation { scale(minFactor = 2.0, maxFactor = 1.5) } } },
        { Recipe.builder("x").model(UNet.paper()).augmentation { a -> a.scale { it.minFactor(2.0).maxFactor(1.5) } }.build() },
        "augmentation.transforms[0].minFactor: expected at most maxFactor (1.5), got 2.0",
        "augmentation.transforms[0].minFactor",
    )

    @Test
    fun `a negative term weight`() = same(
        { combined { term(1.0, dice()); term(-1.0, focal()) } },
        { org.unet4j.dsl.recipe.CombinedLoss.builder().term(1.0, dice()).term(-1.0, focal()).build() },
        "terms[1].weight: expected 0..1000, got -1", "terms[1].weight",
    )

    @Test
    fun `class weights without the given class balance`() = same(
        { weightedCrossEntropy(classWeights = listOf(1.0, 2.0)) },
        { WeightedCrossEntropyLoss.builder().classWeights(listOf(1.0, 2.0)).build() },
        "classWeights: weights are listed but classBalance is inverse-frequency; set it to given or drop them",
        "classWeights",
    )

    @Test
    fun `a recipe without a model`() = same(
        { recipe("x") { training { steps = 10 } } },
        { Recipe.builder("x").training { it.steps(10) }.build() },
        "model: no model declared; set one with model(UNet.builder()...build()) or model(m -> m.depth(4).baseFilters(64))",
        "model",
    )

    @Test
    fun `reading the model before it is set`() {
        val e = assertThrows<SpecException> { recipe("x") { description = model.toString() } }
        assertEquals("model: no model declared yet; set model = unet { ... } first", e.message)
    }
}
