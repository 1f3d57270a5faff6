package org.unet4j.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.unet4j.dsl.SpecException
import org.unet4j.dsl.model.Activation
import org.unet4j.dsl.model.Normalization
import org.unet4j.dsl.model.OutputActivation
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.PoolingKind
import org.unet4j.dsl.model.Size3
import org.unet4j.dsl.model.SkipMode
import org.unet4j.dsl.model.UNet
import org.unet4j.dsl.model.Upsampling
import org.unet4j.dsl.recipe.CombinedLoss
import org.unet4j.dsl.recipe.DiceLoss
import org.unet4j.dsl.recipe.LabelFormat
import org.unet4j.dsl.recipe.LossTerm
import org.unet4j.dsl.recipe.Recipe
import org.unet4j.dsl.recipe.Recipes
import org.unet4j.dsl.recipe.TestTimeAugmentation
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss
import org.unet4j.recipes.data.Calibration
import org.unet4j.recipes.data.LabelledVolume
import org.unet4j.recipes.data.Volume
import org.unet4j.recipes.train.Training
import org.unet4j.recipes.train.TrainingData
import java.nio.file.Files
import java.nio.file.Path

/**
 * The Kotlin snippets of the guide and the README, compiled and run here. The docs module runs only
 * Java, so [guideSnippetsAreCopiesOfThisFile] checks that every code line of every ```kotlin block
 * appears in this file in the same order, and that every `// SpecException: message` it shows is a
 * message asserted here.
 */
class GuideSnippetsTest {
    @Test
    fun `getting-started declares a net`() {
        val net = unet(inputChannels = 1, classes = 2) {
            contracting {
                stage(32) { conv(3); conv(3) }
                stage(64) { conv(3); conv(3) }
                stage(128) { conv(3); conv(3); dropout(0.5) }
            }
            bottleneck(256) { conv(3); conv(3); dropout(0.5) }
            expandingMirrorsContracting()
        }
        net.geometry().outputSize(252)   // 164
        assertEquals(164, net.geometry().outputSize(252))
        assertEquals(UNet.builder().depth(3).baseFilters(32).dropout(0.5).build(), net)
    }

    @Test
    fun `the README declares a recipe`() {
        val r = recipe("my-nuclei") {
            model = unet(inputChannels = 1, classes = 2) {
                contracting {
                    stage(32) { conv(3); conv(3) }
                    stage(64) { conv(3); conv(3); batchNorm() }
                }
                bottleneck(128) { conv(3); conv(3); dropout(0.5) }
                expandingMirrorsContracting()
            }
            training { steps = 2000; tile = 252; adam(lr = 1e-3) }
            inference { tile = 252 }
        }
        r.model.geometry().validInputsNear(198)   // [196, 200]
        assertEquals(listOf(196, 200), r.model.geometry().validInputsNear(198))
        assertEquals(2000, r.training.steps)
    }

    @Test
    fun `the model guide declares every kind of stage`() {
        val net = unet(inputChannels = 3, classes = 4) {
            contracting {
                stage(32) { conv(5); conv(5) }
                stage(64) { convs(3); batchNorm() }
                stage(128) { conv(3); conv(3); padding(Padding.SAME) }
            }
            bottleneck(256) { conv(3); conv(3); dropout(0.5) }
            expanding {
                stage(128) { conv(3); conv(3) }
                stage(64) { conv(3); conv(3); noSkip() }
            }
            pooling(PoolingKind.MAX, 2)
            head(kernel = 1, activation = OutputActivation.SOFTMAX)
        }
        assertEquals(listOf(5, 3, 3), net.contracting.map { it.kernel })
        assertEquals(listOf(SkipMode.CENTER_CROP, SkipMode.NONE), net.expanding.map { it.skip })
        assertEquals(2, net.geometry().outputStride())
    }

    @Test
    fun `the model guide declares block kinds`() {
        val blocks = unet(inputChannels = 1, classes = 2) {
            contracting {
                stage(16) { conv(3); conv(3); residual(); groupNorm(4) }
                stage(32) { conv(3); conv(3); instanceNorm(); leakyRelu(slope = 0.1) }
            }
            bottleneck(64) { conv(3); conv(3); residual(); activation(Activation.GELU) }
            expanding {
                stage(32) { conv(3); conv(3); attentionSkip() }
                stage(16) { conv(3); conv(3); bilinearUpsampling() }
            }
            pooling(PoolingKind.STRIDED_CONV, 2)
        }
        val everywhere = unet(inputChannels = 1, classes = 2) { depth(3); baseFilters(16); residual(); attentionSkips() }
        assertEquals(listOf(4, 0), blocks.contracting.map { it.groups })
        assertEquals(listOf(Normalization.GROUP, Normalization.INSTANCE), blocks.contracting.map { it.normalization })
        assertEquals(0.1, blocks.contracting[1].leakySlope)
        assertEquals(listOf(SkipMode.ATTENTION, SkipMode.CENTER_CROP), blocks.expanding.map { it.skip })
        assertEquals(listOf(Upsampling.UP_CONV, Upsampling.BILINEAR), blocks.expanding.map { it.upsampling })
        assertEquals(PoolingKind.STRIDED_CONV, blocks.pooling.kind)
        assertTrue(everywhere.contracting.all { it.residual } && everywhere.expanding.all { it.residual })
        assertEquals(List(3) { SkipMode.ATTENTION }, everywhere.expanding.map { it.skip })
    }

    @Test
    fun `the model guide declares a recipe`() {
        val r = recipe("my-nuclei") {
            description = "A first try on my own images."
            model = unet(inputChannels = 1, classes = 2) {
                contracting {
                    stage(32) { conv(3); conv(3) }
                    stage(64) { conv(3); conv(3) }
                }
                bottleneck(128) { conv(3); conv(3); dropout(0.5) }
                expandingMirrorsContracting()
            }
            loss = combined { term(1.0, weightedCrossEntropy()); term(0.5, dice()) }
            augmentation { flip(); elastic(probability = 0.5); grayValue(noise = 0.01) }
            training { steps = 2000; tile = 252; adam(lr = 1e-3); cosineSchedule(minFactor = 0.05) }
            data { images = "data/my-nuclei/images"; labels = "data/my-nuclei/masks" }
            inference { tile = 252; tta = TestTimeAugmentation.DIHEDRAL }
        }
        val shorter = r.copy { training { steps = 60 } }
        assertEquals(CombinedLoss(listOf(LossTerm(1.0, WeightedCrossEntropyLoss.paper()), LossTerm(0.5, DiceLoss(1.0)))), r.loss)
        assertEquals(3, r.augmentation.transforms.size)
        assertEquals(60, shorter.training.steps)
        assertEquals(r.training.tile, shorter.training.tile)
    }

    @Test
    fun `the model guide's mistakes`() {
        val steps = assertThrows<SpecException> {
            recipe("x") { model = unet(); training { steps = -5 } }
        }
        assertEquals("training.steps: expected 1..1000000000, got -5", steps.message)
        val grid = assertThrows<SpecException> {
            recipe("x") { model = unet(); augmentation { flip(); elastic(grid = 1) } }
        }
        assertEquals("augmentation.transforms[1].grid: expected 2..64, got 1", grid.message)
        val kernels = assertThrows<SpecException> {
            unet { contracting { stage(64) { conv(3); conv(4) } }; bottleneck(128) }
        }
        assertEquals(
            "contracting[0].kernels[1]: conv2: expected an odd size 1..15 so that crops stay centred (1, 3, 5, ...), got 4",
            kernels.message,
        )
    }

    @Test
    fun `the library guide trains, predicts and scores from Kotlin`() {
        val nuclei = Recipes.load("nuclei-demo").copy {
            training { steps = 3; warmupSteps = 0; batchSize = 2; checkpointEvery = 3 }
            data { images = "data/bbbc039/train/images/IXMtest_A0*.tif" }
            inference { tta = TestTimeAugmentation.NONE }
        }
        val run = Files.createTempDirectory("unet4j-library")
        val losses = mutableListOf<Double>()
        val result = nuclei.train(run) {
            onStep { losses += it.loss() }
        }
        val image = Path.of("data/bbbc039/test/images/IXMtest_N11_s4_w142A84EA3-47C3-4B49-B6CA-BBC6685BBE1E.tif")
        val segmentation = withModel(run) { model ->
            model.predictFiles(listOf(image), run.resolve("predictions"))
            model.predict(image)
        }
        val cells = segmentation.probabilities().rows(1)           // cells[y][x], a Kotlin array
        val report = evaluate(
            truth = Path.of("data/bbbc039/test/masks/IXMtest_N11_s4_w142A84EA3-47C3-4B49-B6CA-BBC6685BBE1E.png"),
            prediction = run.resolve("predictions"),
            truthFormat = LabelFormat.COLOR_COMPONENTS,
        )
        println("IoU after ${result.steps()} steps: ${report.summary().mean().iou()}")
        assertEquals(3L, result.steps())
        assertEquals(3, losses.size)
        assertEquals(520, cells.size)
        assertEquals(696, cells[0].size)
        assertEquals(1, report.pairs().size)
        assertTrue(report.summary().mean().iou() in 0.0..1.0)
    }

    @Test
    fun `the volumes guide declares an anisotropic 3D net`() {
        val em = unet(inputChannels = 1, classes = 2, dimensions = 3) {
            contracting {
                stage(16) { planar() }
                stage(32) { planar() }
                stage(64) { conv(3); conv(3) }
            }
            bottleneck(128)
        }
        em.volumeGeometry().outputSize(Size3(20, 188, 188))   // 4x100x100
        assertEquals(Size3(4, 100, 100), em.volumeGeometry().outputSize(Size3(20, 188, 188)))
        val java = UNet.builder().dimensions(3)
            .contracting { c -> c.stage(16) { it.planar() }.stage(32) { it.planar() }.stage(64) }
            .bottleneck(128)
            .build()
        assertEquals(java, em)
    }

    @Test
    fun `the volumes guide trains the 3D U-Net on its own block`() {
        val cicek = recipe("cicek") {
            model = UNet.cicek()
            training { tile = 132; tileZ = 116 }
            inference { tile = 132 }
        }
        assertEquals(Size3(116, 132, 132), cicek.model.volumeGeometry().inputForTile(cicek.training.tile, cicek.training.tileZ))
        val e = assertThrows<SpecException> { recipe("cicek") { model = UNet.cicek(); training { tile = 132; tileZ = 117 } } }
        assertTrue(e.message!!.contains("valid near it: 116, 124"), e.message)
    }

    @Test
    fun `the volumes guide trains a 3D net from Kotlin`() {
        val dir = Files.createTempDirectory("unet4j-volumes")
        val size = Size3(4, 20, 20)
        val voxels = FloatArray(1600) { i -> if ((i % 20) in 5..14 && (i / 20 % 20) in 5..14) 200f else 20f }
        val stack = dir.resolve("stack.tif")
        val labels = dir.resolve("labels.tif")
        Volume(size, 1, voxels, Calibration(1.0, 1.0, 2.0, "micron")).write(stack)
        Volume(size, 1, FloatArray(1600) { i -> if (voxels[i] > 100f) 1f else 0f }, Calibration.NONE).write(labels)
        val recipe = Recipe.builder("tiny-3d")
            .model(UNet.builder().dimensions(3).contracting { c -> c.stage(4) }.bottleneck(8).build())
            .training { it.tile(20).steps(2).batchSize(1).checkpointEvery(2) }
            .inference { it.tile(28) }
            .build()
        val run = dir.resolve("run")
        val volume = LabelledVolume.read(stack, labels, LabelFormat.INSTANCE, -1)
        val result = Training.of(recipe).data(TrainingData.volumes(listOf(volume))).run(run)
        assertEquals(2L, result.steps())
        assertEquals(2.0, volume.volume().spacing().z())
        val segmentation = withModel(run) { model -> model.predictVolume(stack) }
        segmentation.probabilities().size()   // 4x20x20
        assertEquals(size, segmentation.probabilities().size())
        assertEquals(size, segmentation.labels().size())
    }

    @Test
    fun `stages say their z kernels, z pooling and channel pattern`() {
        val net = unet(dimensions = 3) {
            contracting { stage(8) { kernelZ(1); poolZ(1); firstConvFilters(4) } }
            bottleneck(16) { kernelZ(5) }
            expanding { stage(8) { upConvFilters(16); kernelZ(1) } }
        }
        assertEquals(1, net.contracting()[0].kernelZ())
        assertEquals(1, net.contracting()[0].poolZ())
        assertEquals(4, net.contracting()[0].firstConvFilters())
        assertEquals(5, net.bottleneck().kernelZ())
        assertEquals(16, net.expanding()[0].upConvFilters())
        assertEquals(1, net.expanding()[0].kernelZ())
        val flat = assertThrows<SpecException> { unet { contracting { stage(8) { planar() } }; bottleneck(16) } }
        assertEquals("contracting[0].kernelZ: a 2D net has no z axis; set dimensions to 3 or leave it at 0, got 1",
            flat.message)
    }

    @Test
    fun guideSnippetsAreCopiesOfThisFile() {
        val here = code(Files.readAllLines(THIS_FILE))
        val source = Files.readString(THIS_FILE)
        var blocks = 0
        for (page in PAGES) {
            for ((line, block) in kotlinBlocks(page)) {
                blocks++
                val missing = firstMissing(code(block), here)
                assertEquals(null, missing, "$page:$line: this line of the block is not in GuideSnippetsTest.kt")
                for (shown in block.mapNotNull { MESSAGE.find(it)?.groupValues?.get(1) }) {
                    assertTrue(source.contains("\"$shown\""), "$page:$line: the message \"$shown\" is not asserted here")
                }
            }
        }
        assertTrue(blocks >= 5, "found only $blocks Kotlin blocks")
    }

    private companion object {
        /** The kotlin module (Maven's basedir); the tests run in the unet4j folder above it. */
        val MODULE: Path = Path.of(System.getProperty("basedir", "kotlin")).toAbsolutePath().normalize()
        val ROOT: Path = MODULE.parent
        val THIS_FILE: Path = MODULE.resolve("src/test/kotlin/org/unet4j/kotlin/GuideSnippetsTest.kt")
        val PAGES: List<Path> = listOf(ROOT.resolve("README.md")) +
            Files.list(ROOT.resolve("docs/guide")).use { files -> files.filter { it.toString().endsWith(".md") }.sorted().toList() }
        val MESSAGE = Regex("^\\s*// SpecException: (.*)$")

        /** The ```kotlin blocks of a Markdown page, each with the line number of its fence. */
        fun kotlinBlocks(page: Path): List<Pair<Int, List<String>>> {
            val lines = Files.readAllLines(page)
            val blocks = mutableListOf<Pair<Int, List<String>>>()
            var i = 0
            while (i < lines.size) {
                if (lines[i].trim() == "```kotlin") {
                    val end = (i + 1 until lines.size).first { lines[it].trim() == "```" }
                    blocks += (i + 1) to lines.subList(i + 1, end)
                    i = end
                }
                i++
            }
            return blocks
        }

        /** The code of some lines: without trailing comments, indentation, blank and comment-only lines. */
        fun code(lines: List<String>): List<String> =
            lines.map { it.replace(Regex("\\s+//.*$"), "").trim() }.filter { it.isNotEmpty() && !it.startsWith("//") }

        /** The first line of [block] not found in [file] after the lines before it, or null. */
        fun firstMissing(block: List<String>, file: List<String>): String? {
            var at = 0
            for (line in block) {
                val found = (at until file.size).firstOrNull { file[it] == line } ?: return line
                at = found + 1
            }
            return null
        }
    }
}
