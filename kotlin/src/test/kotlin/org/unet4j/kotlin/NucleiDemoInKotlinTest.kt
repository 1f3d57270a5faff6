package org.unet4j.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.unet4j.dsl.recipe.FlipTransform.Symmetry.DIHEDRAL
import org.unet4j.dsl.recipe.InstanceMethod
import org.unet4j.dsl.recipe.LabelFormat
import org.unet4j.dsl.recipe.Recipes
import org.unet4j.dsl.recipe.TestTimeAugmentation

/** The bundled nuclei-demo recipe, declared again with the Kotlin DSL. */
class NucleiDemoInKotlinTest {
    private val bundled = Recipes.load("nuclei-demo")

    private val declared = recipe("nuclei-demo") {
        description = bundled.description
        model = unet(inputChannels = 1, classes = 2) {
            contracting {
                stage(16) { conv(3); conv(3) }
                stage(32) { conv(3); conv(3) }
                stage(64) { conv(3); conv(3) }
            }
            bottleneck(128) { conv(3); conv(3) }
            expandingMirrorsContracting()
        }
        loss = combined {
            term(1.0, weightedCrossEntropy(w0 = 10.0, sigma = 5.0))
            term(1.0, dice())
        }
        augmentation {
            flip(symmetry = DIHEDRAL)
            elastic(probability = 0.5, grid = 3, sigma = 10.0)
            grayValue(probability = 0.5)
        }
        training {
            adam(lr = 1e-3)
            cosineSchedule(minFactor = 0.05)
            warmupSteps = 20
            steps = 600
            batchSize = 4
            tile = 252
            checkpointEvery = 300
        }
        data {
            images = "data/bbbc039/train/images"
            labels = "data/bbbc039/train/masks"
            labelFormat = LabelFormat.COLOR_COMPONENTS
            validationFraction = 0.0
        }
        inference {
            tile = 252
            batchSize = 4
            tta = TestTimeAugmentation.DIHEDRAL
            threshold = 0.7
            minObjectSize = 60
            fillHoles = true
            instances = InstanceMethod.DISTANCE_WATERSHED
            seedDepth = 2.0
        }
    }

    @Test
    fun `equals the bundled recipe read from JSON`() {
        assertEquals(Recipes.toJson(bundled), Recipes.toJson(declared))
        assertEquals(bundled, declared)
    }

    @Test
    fun `round-trips through the recipe JSON`() {
        assertEquals(declared, Recipes.fromJson(Recipes.toJson(declared)))
    }

    @Test
    fun `is the family shortcut's net`() {
        assertEquals(unet { depth(3); baseFilters(16) }, declared.model)
    }

    @Test
    fun `a copy changes only what it declares`() {
        val short = bundled.copy { training { steps = 60 } }
        assertEquals(60, short.training.steps)
        assertEquals(bundled.training.toBuilder().steps(60).build(), short.training)
        assertEquals(bundled.toBuilder().training(short.training).build(), short)
    }
}
