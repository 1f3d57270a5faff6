package org.unet4j.kotlin

import java.nio.file.Path
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.unet4j.dsl.recipe.AugmentationSpec
import org.unet4j.dsl.recipe.LabelFormat
import org.unet4j.dsl.recipe.Recipes
import org.unet4j.recipes.data.FilePattern
import org.unet4j.recipes.data.Image
import org.unet4j.recipes.data.ImageIo
import org.unet4j.recipes.train.StepEvent
import org.unet4j.recipes.train.ValidationEvent

/** The bundled nuclei-3class recipe made tiny and trained from Kotlin on crops of the bundled BBBC039 images. */
class ThreeClassInKotlinTest {
    @TempDir
    lateinit var dir: Path

    /** The first [count] bundled images and masks, 96x96 from (300, 200), in [dir]. */
    private fun crops(count: Int) {
        // This module's tests run in the unet4j folder (kotlin/pom.xml), where data/bbbc039 lies.
        val home = Path.of("data/bbbc039/train").toAbsolutePath()
        val images = FilePattern.resolve("images", home.resolve("images").toString(), Path.of(""))
        val masks = FilePattern.resolve("masks", home.resolve("masks").toString(), Path.of(""))
        for (i in 0 until count) {
            val name = FilePattern.stem(images[i]) + ".tif"
            ImageIo.writeTiff(dir.resolve("images").resolve(name), crop(ImageIo.read(images[i])))
            ImageIo.writeTiff(dir.resolve("masks").resolve(name), crop(ImageIo.read(masks[i])))
        }
    }

    private fun crop(image: Image): Image {
        val pixels = FloatArray(96 * 96) { image.get(300 + it % 96, 200 + it / 96, 0) }
        return Image.gray(96, 96, image.type(), pixels)
    }

    @Test
    fun `a tiny three-class net trains a few steps and is scored`() {
        crops(3)
        val recipe = Recipes.load("nuclei-3class").copy {
            model = unet(inputChannels = 1, classes = 3) { depth(2); baseFilters(4) }
            augmentation = AugmentationSpec.none()
            training { steps = 4; batchSize = 1; tile = 60; warmupSteps = 0; checkpointEvery = 4; validateEvery = 2 }
            data {
                images = dir.resolve("images").toString()
                labels = dir.resolve("masks").toString()
                validationFraction = 0.34
            }
            inference { tile = 60; batchSize = 1 }
        }
        assertEquals(LabelFormat.THREE_CLASS, recipe.data.labelFormat)
        val steps = mutableListOf<StepEvent>()
        val validations = mutableListOf<ValidationEvent>()
        val result = recipe.train(dir.resolve("run")) {
            onStep { steps += it }
            onValidation { validations += it }
            threads(1)
        }
        assertEquals(4, result.steps())
        assertTrue(steps.all { it.loss().isFinite() && it.loss() > 0 }, steps.toString())
        assertEquals(2, validations.size)
        assertTrue(validations.all { it.scores().iou() in 0.0..1.0 && it.scores().pixels() > 0 }, validations.toString())
    }
}
