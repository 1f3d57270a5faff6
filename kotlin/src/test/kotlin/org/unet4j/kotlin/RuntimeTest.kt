package org.unet4j.kotlin

import java.nio.file.Files
import java.nio.file.Path
import java.util.Random
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.unet4j.dsl.recipe.AugmentationSpec
import org.unet4j.dsl.recipe.Recipe
import org.unet4j.dsl.recipe.TestTimeAugmentation
import org.unet4j.losses.Loss
import org.unet4j.losses.Losses
import org.unet4j.recipes.data.ImageIo
import org.unet4j.recipes.data.LabelledImage
import org.unet4j.recipes.data.PixelType
import org.unet4j.dsl.recipe.LabelFormat
import org.unet4j.recipes.eval.StackScoring
import org.unet4j.recipes.infer.ObjectOutput
import org.unet4j.recipes.data.Image
import org.unet4j.recipes.train.StepEvent
import org.unet4j.recipes.train.ValidationMetric

/** The runtime from Kotlin: train with data in memory, a loss lambda and listeners; predict; evaluate. */
class RuntimeTest {
    @TempDir
    lateinit var dir: Path

    /** Depth 2, 4 base filters: tile 60 gives 20. */
    private fun tiny(count: Int): Recipe = recipe("tiny") {
        model = unet(inputChannels = 1, classes = 2) { depth(2); baseFilters(4) }
        augmentation = AugmentationSpec.none()
        training { steps = count; tile = 60; batchSize = 2; checkpointEvery = count; warmupSteps = 0; adam(lr = 1e-2) }
        inference { tile = 60; tta = TestTimeAugmentation.NONE }
    }

    /** A 64x64 grey image with four bright discs of radius 6, and their instances. */
    private fun discs(seed: Long): LabelledImage {
        val size = 64
        val random = Random(seed)
        val pixels = FloatArray(size * size)
        val cells = IntArray(size * size)
        val centres = listOf(14 to 16, 44 to 20, 22 to 46, 50 to 50)
        for (y in 0 until size) {
            for (x in 0 until size) {
                pixels[y * size + x] = 20f + random.nextInt(10)
                centres.forEachIndexed { c, (cx, cy) ->
                    val dx = x - cx - (seed % 5).toInt()
                    val dy = y - cy
                    if (dx * dx + dy * dy <= 36) {
                        pixels[y * size + x] = 200f + random.nextInt(10)
                        cells[y * size + x] = c + 1
                    }
                }
            }
        }
        return LabelledImage.of(size, size, pixels, cells)
    }

    @Test
    fun aLossLambdaReachesTrainingAndListenersSeeEveryStep() {
        val r = tiny(count = 3)
        val images = listOf(discs(0), discs(1))
        val plain = mutableListOf<StepEvent>()
        val plainResult = r.train(dir.resolve("plain")) {
            data(images)
            threads(1)
            onStep { plain += it }
        }
        val doubled = mutableListOf<StepEvent>()
        r.train(dir.resolve("doubled")) {
            data(images)
            threads(1)
            loss(Loss { tf, inputs -> tf.math.mul(Losses.of(r.loss()).build(tf, inputs), tf.constant(2f)) })
            onStep { doubled += it }
        }
        assertEquals(3, plainResult.steps())
        assertEquals(listOf(0L, 1L, 2L), plain.map { it.step() })
        // Step 0's loss comes from the same initial weights and batch: exactly twice the recipe's.
        assertEquals(2 * plain[0].loss(), doubled[0].loss(), 0.0)
    }

    @Test
    fun aResidualAttentionUNetTrainsThreeStepsFromKotlin() {
        // The blocks keep the plain net's geometry: tile 60 still gives 20.
        val r = tiny(count = 3).copy {
            model = unet(inputChannels = 1, classes = 2) {
                depth(2); baseFilters(4); residual(); attentionSkips(); instanceNorm(); leakyRelu(0.1)
            }
        }
        val steps = mutableListOf<StepEvent>()
        val result = r.train(dir.resolve("blocks")) {
            data(listOf(discs(0), discs(1)))
            threads(1)
            onStep { steps += it }
        }
        assertEquals(3, result.steps())
        assertTrue(steps.all { it.loss().isFinite() && it.loss() > 0 }, steps.map { it.loss() }.toString())
        withModel(dir.resolve("blocks")) { model ->
            assertEquals(r, model.recipe())
            assertTrue(model.predict(discs(3).image()).probabilities().foreground().all { it in 0f..1f })
        }
    }

    @Test
    fun aTrainedRunPredictsAndIsScoredFromKotlin() {
        val r = tiny(count = 4).copy { training { validateEvery = 2 } }
        val validations = mutableListOf<Long>()
        val result = r.train(dir.resolve("run")) {
            data(listOf(discs(0), discs(1)), validation = listOf(discs(2)))
            threads(1)
            onValidation { validations += it.step() }
            earlyStopping(ValidationMetric.LOSS, patience = 1, minDelta = 1e9)
        }
        // The second validation (after step 4) cannot improve by 1e9: the run stops there, at its end.
        assertEquals(listOf(1L, 3L), validations)
        assertEquals(4, result.steps())
        assertTrue(result.stoppedEarly()!!.startsWith("early stopping"), result.stoppedEarly())

        val test = discs(3)
        val file = dir.resolve("disc.tif")
        ImageIo.writeTiff(file, test.image())
        val truth = dir.resolve("truth/disc.tif")
        Files.createDirectories(truth.parent)
        ImageIo.writeTiff(truth, Image.gray(64, 64, PixelType.UINT16, test.labels().toArray().map { it.toFloat() }.toFloatArray()))
        withModel(dir.resolve("run")) { model ->
            val s = model.predict(file)
            val rows = s.probabilities().rows(1)
            assertEquals(64, rows.size)
            assertEquals(64, rows[0].size)
            assertEquals(s.probabilities().get(10, 20, 1), rows[20][10])
            val labels = s.labels()
            assertEquals(s.instances().label(33, 7), labels[7][33])
            assertArrayEquals(test.image().rows()[5], test.image().channel(0).copyOfRange(5 * 64, 6 * 64))
            model.predictFiles(listOf(file), dir.resolve("pred"))
            model.predictFiles(listOf(file), dir.resolve("fiji"), setOf(ObjectOutput.ROIS, ObjectOutput.MEASUREMENTS))
        }
        assertTrue(Files.isRegularFile(dir.resolve("fiji/disc_rois.zip")))
        assertTrue(Files.readAllLines(dir.resolve("fiji/disc_objects.csv"))[0].startsWith("page,label,area[px]"))
        val report = evaluate(truth = dir.resolve("truth"), prediction = dir.resolve("pred"))
        assertEquals(listOf("disc"), report.pairs().map { it.name() })
        val iou = report.summary().mean().iou()
        assertTrue(iou in 0.0..1.0, "iou $iou")
    }

    @Test
    fun `stacks are scored as volumes when asked`() {
        // Two planes, each with one cell pixel at the same place: one 6-connected cell of 2 voxels,
        // found exactly. Page by page it is two cells; as a volume, one.
        val truth = dir.resolve("volume/truth.tif")
        val prediction = dir.resolve("volume/truth_prob.tif")
        Files.createDirectories(truth.parent)
        val cell = floatArrayOf(0f, 255f, 0f, 0f)
        ImageIo.writeTiffPages(truth, listOf(Image.gray(2, 2, PixelType.UINT8, cell), Image.gray(2, 2, PixelType.UINT8, cell)))
        val prob = cell.map { it / 255 }.toFloatArray()
        ImageIo.writeTiffPages(prediction, listOf(Image.gray(2, 2, PixelType.FLOAT32, prob), Image.gray(2, 2, PixelType.FLOAT32, prob)))
        val volume = evaluate(truth, prediction, stacks = StackScoring.VOLUME).summary().images()[0]
        val pages = evaluate(truth, prediction).summary().images()[0]
        assertEquals(1, volume.objects().truthObjects())
        assertEquals(2, pages.objects().truthObjects())
        assertTrue(volume.scores().warpingError().isNaN())
        // The second plane's cell voxel not annotated (7): the cell is its first voxel alone, and the
        // prediction's second voxel there is no false positive.
        val sparse = dir.resolve("volume/sparse.tif")
        ImageIo.writeTiffPages(sparse, listOf(Image.gray(2, 2, PixelType.UINT8, cell),
            Image.gray(2, 2, PixelType.UINT8, floatArrayOf(0f, 7f, 0f, 0f))))
        val ignoring = evaluate(sparse, prediction, LabelFormat.BINARY, stacks = StackScoring.VOLUME, ignoreLabel = 7)
            .summary().images()[0]
        assertEquals(1, ignoring.objects().truthObjects())
        assertEquals(1.0, ignoring.objects().objectF1())
        assertEquals(0.0, ignoring.scores().pixelError())
    }
}
