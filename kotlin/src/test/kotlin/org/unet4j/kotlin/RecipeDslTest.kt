package org.unet4j.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.SkipMode
import org.unet4j.dsl.recipe.AdamOptimizer
import org.unet4j.dsl.recipe.AugmentationSpec
import org.unet4j.dsl.recipe.CheckpointSelection
import org.unet4j.dsl.recipe.ClassBalance
import org.unet4j.dsl.recipe.CombinedLoss
import org.unet4j.dsl.recipe.ConstantSchedule
import org.unet4j.dsl.recipe.CosineSchedule
import org.unet4j.dsl.recipe.CrossEntropyLoss
import org.unet4j.dsl.recipe.DataPair
import org.unet4j.dsl.recipe.DataSpec
import org.unet4j.dsl.recipe.DiceLoss
import org.unet4j.dsl.recipe.ElasticTransform
import org.unet4j.dsl.recipe.FlipTransform
import org.unet4j.dsl.recipe.FocalLoss
import org.unet4j.dsl.recipe.GrayValueTransform
import org.unet4j.dsl.recipe.InferenceSpec
import org.unet4j.dsl.recipe.InstanceMethod
import org.unet4j.dsl.recipe.IntensityScaling
import org.unet4j.dsl.recipe.Interpolation
import org.unet4j.dsl.recipe.LabelFormat
import org.unet4j.dsl.recipe.LossTerm
import org.unet4j.dsl.recipe.NormalizationSpec
import org.unet4j.dsl.recipe.ProbabilityOf
import org.unet4j.dsl.recipe.Recipe
import org.unet4j.dsl.recipe.Recipes
import org.unet4j.dsl.recipe.RotationTransform
import org.unet4j.dsl.recipe.ScaleTransform
import org.unet4j.dsl.recipe.SgdOptimizer
import org.unet4j.dsl.recipe.ShiftTransform
import org.unet4j.dsl.recipe.StepSchedule
import org.unet4j.dsl.recipe.TestTimeAugmentation
import org.unet4j.dsl.recipe.ThinningMethod
import org.unet4j.dsl.recipe.TrainingSpec
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss

/**
 * Every part of a recipe through the DSL, each compared with the record written out positionally
 * (the values by hand, in the record's declaration order), and a recipe written, read back and
 * overridden.
 */
class RecipeDslTest {
    private val net = unet(inputChannels = 1, classes = 2) {
        contracting { stage(16) { conv(3); conv(3) }; stage(32) { conv(3); padding(Padding.SAME) } }
        bottleneck(64) { conv(3); conv(3); dropout(0.5) }
        expandingMirrorsContracting()
    }

    private val tiny = recipe("kotlin/tiny") {
        description = "declared in Kotlin"
        model = net
        loss = combined { term(1.0, weightedCrossEntropy()); term(0.5, dice(smooth = 1.0)) }
        augmentation = AugmentationSpec.paper()
        training {
            adam(lr = 1e-3)
            stepSchedule(every = 500, factor = 0.5)
            warmupSteps = 10
            steps = 1000
            batchSize = 2
            tile = 124
            seed = 7
            checkpointEvery = 250
            validateEvery = 100
            selectBy = CheckpointSelection.SEG
            patience = 5
            minDelta = 0.01
            averageDecay = 0.999
        }
        inference { tile = 188; tta = TestTimeAugmentation.MIRRORS }
    }

    @Test
    fun `declares what the positional constructors say`() {
        assertEquals(
            Recipe(
                "kotlin/tiny", "declared in Kotlin", net,
                CombinedLoss(listOf(LossTerm(1.0, WeightedCrossEntropyLoss.paper()), LossTerm(0.5, DiceLoss(1.0)))),
                AugmentationSpec.paper(),
                TrainingSpec(
                    AdamOptimizer.defaults(), 1e-3, StepSchedule(500, 0.5), 10, 1000, 2, 124, 0, 7, 250, 100,
                    CheckpointSelection.SEG, 5, 0.01, 0.999,
                ),
                DataSpec.none(),
                InferenceSpec(188, 1, TestTimeAugmentation.MIRRORS, 0.5, 0, false),
            ),
            tiny,
        )
    }

    @Test
    fun `round-trips through JSON and takes overrides by JSON path`() {
        val text = Recipes.toJson(tiny)
        assertEquals(tiny, Recipes.fromJson(text))
        assertEquals(text, Recipes.toJson(Recipes.fromJson(text)))
        val changed = Recipes.withOverrides(tiny, listOf("training.steps=60", "model.expanding[1].skip=\"none\""))
        assertEquals(60, changed.training.steps)
        assertEquals(SkipMode.NONE, changed.model.expanding[1].skip)
        assertEquals(tiny.copy { training { steps = 60 } }.training, changed.training)
    }

    @Test
    fun `every loss`() {
        assertEquals(WeightedCrossEntropyLoss(10.0, 5.0, ClassBalance.INVERSE_FREQUENCY, listOf()), weightedCrossEntropy())
        assertEquals(
            WeightedCrossEntropyLoss(5.0, 3.0, ClassBalance.GIVEN, listOf(1.0, 2.0)),
            weightedCrossEntropy(w0 = 5.0, sigma = 3.0, classBalance = ClassBalance.GIVEN, classWeights = listOf(1.0, 2.0)),
        )
        assertEquals(CrossEntropyLoss(), crossEntropy())
        assertEquals(DiceLoss(1.0), dice())
        assertEquals(DiceLoss(0.5), dice(smooth = 0.5))
        assertEquals(FocalLoss(2.0), focal())
        assertEquals(FocalLoss(3.0), focal(gamma = 3.0))
        assertEquals(
            CombinedLoss(listOf(LossTerm(1.0, CrossEntropyLoss()), LossTerm(0.1, CombinedLoss(listOf(LossTerm(2.0, FocalLoss(2.0))))))),
            combined { term(1.0, crossEntropy()); term(0.1, combined { term(2.0, focal()) }) },
        )
    }

    @Test
    fun `every transform, with the format's defaults and with every field named`() {
        val defaults = recipe("a") {
            model = net
            augmentation { elastic(); flip(); rotation(); shift(); scale(); grayValue() }
        }.augmentation
        assertEquals(
            AugmentationSpec(
                listOf(
                    ElasticTransform(1.0, 3, 10.0), FlipTransform(1.0, FlipTransform.Symmetry.DIHEDRAL),
                    RotationTransform(1.0, 180.0), ShiftTransform(1.0, 16.0), ScaleTransform(1.0, 0.8, 1.25),
                    GrayValueTransform(1.0, 0.1, 0.2, 0.2, 0.02),
                ),
                Interpolation.BICUBIC,
            ),
            defaults,
        )
        val named = recipe("b") {
            model = net
            augmentation {
                elastic(probability = 0.5, grid = 4, sigma = 8.0)
                flip(probability = 0.25, symmetry = FlipTransform.Symmetry.MIRRORS)
                rotation(probability = 0.3, maxDegrees = 90.0)
                shift(probability = 0.4, maxPixels = 8.0)
                scale(probability = 0.6, minFactor = 0.9, maxFactor = 1.1)
                grayValue(probability = 0.7, brightness = 0.05, contrast = 0.1, gamma = 0.3, noise = 0.01)
                add(ShiftTransform(1.0, 2.0))
                interpolation = Interpolation.BILINEAR
            }
        }.augmentation
        assertEquals(
            AugmentationSpec(
                listOf(
                    ElasticTransform(0.5, 4, 8.0), FlipTransform(0.25, FlipTransform.Symmetry.MIRRORS),
                    RotationTransform(0.3, 90.0), ShiftTransform(0.4, 8.0), ScaleTransform(0.6, 0.9, 1.1),
                    GrayValueTransform(0.7, 0.05, 0.1, 0.3, 0.01), ShiftTransform(1.0, 2.0),
                ),
                Interpolation.BILINEAR,
            ),
            named,
        )
    }

    @Test
    fun `training with each optimizer and schedule`() {
        fun trainingOf(block: TrainingScope.() -> Unit) = recipe("t") { model = net; tile(); training(block) }.training
        assertEquals(TrainingSpec(SgdOptimizer(0.99), 0.01, ConstantSchedule(), 0, 1000, 1, 124, 42, 500, 0), trainingOf {})
        assertEquals(SgdOptimizer(0.9), trainingOf { sgd(momentum = 0.9) }.optimizer)
        assertEquals(0.05, trainingOf { sgd(lr = 0.05) }.learningRate)
        assertEquals(AdamOptimizer(0.8, 0.99, 1e-8), trainingOf { adam(beta1 = 0.8, beta2 = 0.99, epsilon = 1e-8) }.optimizer)
        assertEquals(0.01, trainingOf { adam() }.learningRate, "adam() keeps the learning rate")
        assertEquals(CosineSchedule(0.0), trainingOf { cosineSchedule() }.schedule)
        assertEquals(StepSchedule(100, 0.1), trainingOf { stepSchedule(every = 100, factor = 0.1) }.schedule)
        assertEquals(ConstantSchedule(), trainingOf { cosineSchedule(); constantSchedule() }.schedule)
    }

    /** Tile 124 fits [net]; the training and inference defaults (572) do not. */
    private fun RecipeScope.tile() {
        training { tile = 124 }
        inference { tile = 124 }
    }

    @Test
    fun `data and inference, every field`() {
        val r = recipe("d") {
            model = net
            tile()
            data {
                images = "imgs"
                labels = "masks"
                labelFormat = LabelFormat.BINARY
                normalization(scaling = IntensityScaling.PERCENTILE, low = 2.0, high = 98.0)
                validationFraction = 0.1
            }
            inference {
                batchSize = 2
                tta = TestTimeAugmentation.DIHEDRAL
                threshold = 0.6
                minObjectSize = 5
                fillHoles = true
                instances = InstanceMethod.WATERSHED
                seedThreshold = 0.8
                seedDepth = 3.5
                probabilityOf = ProbabilityOf.BACKGROUND
                instanceClass = 1
                instancesPerClass = true
                tileZ = 20
                thinBoundaries = ThinningMethod.RIDGE
                thinFloor = 0.05
            }
        }
        assertEquals(
            DataSpec("imgs", "masks", LabelFormat.BINARY, NormalizationSpec(IntensityScaling.PERCENTILE, 2.0, 98.0), 0.1),
            r.data,
        )
        assertEquals(
            InferenceSpec(
                124, 2, TestTimeAugmentation.DIHEDRAL, 0.6, 5, true, InstanceMethod.WATERSHED, 0.8,
                ProbabilityOf.BACKGROUND, 1, 3.5, true, 20, ThinningMethod.RIDGE, 0.05,
            ),
            r.inference,
        )
        val stacks = recipe("s") {
            model = net
            tile()
            data {
                pair("em/train-volume.tif", "em/train-labels.tif")
                pair("more/images", "more/labels")
            }
        }
        assertEquals(
            listOf(DataPair("em/train-volume.tif", "em/train-labels.tif"), DataPair("more/images", "more/labels")),
            stacks.data.pairs,
        )
        val minMax = recipe("e") { model = net; tile(); data { normalization(scaling = IntensityScaling.MIN_MAX) } }
        assertEquals(NormalizationSpec(IntensityScaling.MIN_MAX, 1.0, 99.8), minMax.data.normalization)
    }

    @Test
    fun `a part assigned whole, then changed in place`() {
        val r = recipe("p") {
            model = net
            training = TrainingSpec.paper()
            training { steps = 10; tile = 124 }
            inference = InferenceSpec.paper().withTile(124)
        }
        assertEquals(TrainingSpec.paper().toBuilder().steps(10).tile(124).build(), r.training)
    }
}
