package org.unet4j.tests.dsl

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.unet4j.dsl.SpecException
import org.unet4j.dsl.model.UNet
import org.unet4j.dsl.recipe.Recipes
import org.unet4j.tests.golden.GoldenFiles

/** User mistakes made from Kotlin: each is a [SpecException] that names the spec path. */
class ErrorsFromKotlinTest {
    @Test
    fun `a stage with two kernel sizes`() {
        val e = assertThrows<SpecException> {
            UNet.builder().contracting { c -> c.stage(64) { it.conv(3).conv(5) } }
        }
        assertEquals("contracting[0]: the convolutions of a stage share one kernel size; got 3 then 5", e.message)
    }

    @Test
    fun `a stage with too many convolutions`() {
        val e = assertThrows<SpecException> {
            UNet.builder()
                .contracting { c -> c.stage(8).stage(16) { it.convs(9) } }
                .bottleneck(32)
                .build()
        }
        assertEquals("contracting[1].convs: expected 1..8, got 9", e.message)
    }

    @Test
    fun `an even kernel`() {
        val e = assertThrows<SpecException> {
            UNet.builder().contracting { c -> c.stage(8).stage(16) { it.conv(4) } }.bottleneck(32).build()
        }
        assertEquals("contracting[1].kernel: expected an odd size so that crops stay centred (1, 3, 5, ...), got 4", e.message)
    }

    @Test
    fun `more expanding than contracting stages`() {
        val e = assertThrows<SpecException> {
            UNet.builder()
                .contracting { c -> c.stage(8).stage(16) }
                .bottleneck(32)
                .expanding { e -> e.stage(16).stage(8).stage(4) }
                .build()
        }
        assertEquals(
            "expanding: expected at most 2 stages (one per contracting stage to pair with), got 3",
            e.message,
        )
    }

    @Test
    fun `depth that contradicts the declared stages`() {
        val e = assertThrows<SpecException> {
            UNet.builder().depth(3).contracting { c -> c.stage(8).stage(16) }.bottleneck(32).build()
        }
        assertEquals(
            "contracting: depth(3) was set but 2 stages were declared; drop depth() or declare 3 stages",
            e.message,
        )
    }

    @Test
    fun `an input size the paper's net cannot take`() {
        val e = assertThrows<SpecException> { UNet.paper().geometry().outputSize(512) }
        // 512 - 4 = 508, pooled 254, - 4 = 250, pooled 125, - 4 = 121: odd before the third pooling.
        assertEquals(
            "contracting[2].pool: 2x2 max pooling needs a size divisible by 2, got 121x121. " +
                "Received: input 512; valid near it: 508, 524",
            e.message,
        )
    }

    @Test
    fun `a misspelt field in a recipe`() {
        val text = GoldenFiles.read(1, GoldenFiles.MINIMAL).replace("\"filters\": 16", "\"filtres\": 16")
        val e = assertThrows<SpecException> { Recipes.fromJson(text) }
        assertEquals("model.bottleneck.filtres: unknown field; did you mean \"filters\"?", e.message)
        assertEquals("model.bottleneck.filtres", e.path())
    }

    @Test
    fun `a training tile the model cannot take`() {
        val e = assertThrows<SpecException> {
            Recipes.withOverrides(Recipes.load("paper/isbi2012"), listOf("training.tile=512"))
        }
        assertEquals("training.tile", e.path())
        assertEquals(
            "training.tile: tile 512 does not fit the model: model.contracting[2].pool: 2x2 max pooling needs " +
                "a size divisible by 2, got 121x121. Received: input 512; valid near it: 508, 524",
            e.message,
        )
    }

    @Test
    fun `a bundled recipe name with a typo`() {
        val e = assertThrows<SpecException> { Recipes.load("paper/isbi2013") }
        assertEquals(
            "no recipe file or bundled recipe named \"paper/isbi2013\"; did you mean \"paper/isbi2012\"? " +
                "Bundled recipes: nuclei-demo, paper/isbi2012, paper/phc-u373, paper/dic-hela; " +
                "or give the path of a .json file",
            e.message,
        )
    }
}
