package org.unet4j.tests.dsl

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.unet4j.dsl.SpecException
import org.unet4j.dsl.model.UNet
import org.unet4j.dsl.recipe.Recipes
import org.unet4j.tests.golden.GoldenFiles

/**
 * User mistakes made from Kotlin on the Java API (geometry, recipe files, bundled names): each is a
 * [SpecException] that names the spec path. The builder mistakes are in the kotlin module's
 * DslErrorsTest, made with the Kotlin DSL and the Java builders side by side.
 */
class ErrorsFromKotlinTest {
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
                "Bundled recipes: nuclei-demo, nuclei-3class, paper/isbi2012, paper/isbi2012-cpu, paper/phc-u373, paper/dic-hela; " +
                "or give the path of a .json file",
            e.message,
        )
    }
}
