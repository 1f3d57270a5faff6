package org.unet4j.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource
import org.unet4j.dsl.SpecException
import org.unet4j.dsl.model.OutputActivation
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.SkipMode

/**
 * A net unlike the paper's in every direction the DSL allows, with its geometry derived by hand.
 *
 * Along one axis, input n:
 * - contracting[0]: three valid 3x3 convs: a0 = n - 6, pooled: p0 = (n - 6) / 2
 * - contracting[1]: one valid 5x5 conv:    a1 = p0 - 4 = (n - 14) / 2, pooled: p1 = (n - 14) / 4
 * - contracting[2]: two SAME 3x3 convs:    a2 = p1, pooled: p2 = (n - 14) / 8
 * - bottleneck: two valid 3x3 convs:       b = p2 - 4 = (n - 46) / 8
 * - expanding[0] (pairs with contracting[2]): up-conv 2b = (n - 46) / 4; the skip a2 = (n - 14) / 4 is
 *   cropped by a2 - 2b = 8, 4 per side; two valid 3x3 convs: e0 = 2b - 4 = (n - 62) / 4
 * - expanding[1] (pairs with contracting[1], no skip): up-conv 2 e0, one SAME 3x3 conv: e1 = (n - 62) / 2
 * - head, valid 3x3: out = e1 - 2 = (n - 66) / 2
 *
 * Every pooling needs an even size: a0, a1 and a2 even means n = 6 (mod 8); e0 >= 1 and out >= 1 need
 * n >= 68, so the valid inputs are 70, 78, 86, ... The output has stride 2 (two of three levels come back
 * up) and loses (n - 2 out) / 2 = 33 input pixels per side.
 */
class AsymmetricNetTest {
    private val net = unet(inputChannels = 3, classes = 4) {
        contracting {
            stage(16) { conv(3); conv(3); conv(3) }
            stage(32) { conv(5) }
            stage(48) { conv(3); conv(3); padding(Padding.SAME) }
        }
        bottleneck(96) { conv(3); conv(3) }
        expanding {
            stage(40) { conv(3); conv(3) }
            stage(24) { conv(3); padding(Padding.SAME); batchNorm(); noSkip() }
        }
        head(kernel = 3, activation = OutputActivation.SIGMOID)
    }

    private fun validByHand(n: Int) = n % 8 == 6 && n >= 70

    @Test
    fun `is declared as written`() {
        // Record components read as Kotlin properties: net.contracting, it.convs.
        assertEquals(3, net.depth())
        assertEquals(listOf(3, 1, 2), net.contracting.map { it.convs })
        assertEquals(listOf(3, 5, 3), net.contracting.map { it.kernel })
        assertEquals(Padding.SAME, net.contracting[2].padding)
        assertEquals(listOf(SkipMode.CENTER_CROP, SkipMode.NONE), net.expanding.map { it.skip })
        assertEquals(14, net.convolutionLayers())
    }

    @Test
    fun `accepts exactly the inputs of the hand derivation`() {
        for (n in 1..400) {
            assertEquals(validByHand(n), net.geometry().isValidInput(n), "input $n")
            if (validByHand(n)) {
                assertEquals((n - 66) / 2, net.geometry().outputSize(n), "output of input $n")
            }
        }
        assertEquals(70, net.geometry().smallestValidInput())
        assertEquals(listOf(70, 78, 86), net.geometry().validInputs(60, 90))
        assertEquals(listOf(94, 102), net.geometry().validInputsNear(100))
    }

    @Test
    fun `has stride 2, margin 33 and period 8`() {
        assertEquals(2, net.geometry().outputStride())
        assertEquals(33, net.geometry().margin())
        assertEquals(8, net.geometry().period())
    }

    @Test
    fun `has the hand-derived shapes at the smallest input`() {
        val shapes = net.geometry().layers(70).associate { it.path to it.shape() }
        assertEquals("64x64x16", shapes["contracting/0/conv3"])
        assertEquals("28x28x32", shapes["contracting/1/conv1"])
        assertEquals("14x14x48", shapes["contracting/2/conv2"])
        assertEquals("3x3x96", shapes["bottleneck/conv2"])
        assertEquals("6x6x88", shapes["expanding/0/concat"]) // 40 up-convolved + 48 from the skip
        assertEquals("2x2x40", shapes["expanding/0/conv2"])
        assertEquals("4x4x24", shapes["expanding/1/conv1"])
        assertEquals("2x2x4", shapes["head"])
        assertFalse("expanding/1/concat" in shapes, "expanding[1] has no skip")
    }

    @Test
    fun `has the hand-counted parameters`() {
        fun conv(k: Int, cin: Int, cout: Int): Long = k.toLong() * k * cin * cout + cout
        // Batch norm replaces a convolution's bias by a scale and an offset per channel.
        fun convBn(k: Int, cin: Int, cout: Int): Long = k.toLong() * k * cin * cout + 2L * cout

        val byHand = conv(3, 3, 16) + conv(3, 16, 16) + conv(3, 16, 16) +
            conv(5, 16, 32) +
            conv(3, 32, 48) + conv(3, 48, 48) +
            conv(3, 48, 96) + conv(3, 96, 96) +
            conv(2, 96, 40) + conv(3, 40 + 48, 40) + conv(3, 40, 40) +
            conv(2, 40, 24) + convBn(3, 24, 24) +
            conv(3, 24, 4)
        assertEquals(248_708L, byHand)
        assertEquals(byHand, net.parameterCount())
    }

    /** Where each invalid input breaks, by the same derivation, and the valid sizes around it. */
    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        textBlock = """
        71 | contracting[0].pool | 2x2 max pooling needs a size divisible by 2, got 65x65  | 70, 78
        72 | contracting[1].pool | 2x2 max pooling needs a size divisible by 2, got 29x29  | 70, 78
        74 | contracting[2].pool | 2x2 max pooling needs a size divisible by 2, got 15x15  | 70, 78
        62 | expanding[0]        | conv2 (3x3, unpadded) leaves no pixels of 2x2         | 70
        54 | expanding[0]        | conv1 (3x3, unpadded) leaves no pixels of 2x2         | 70
        46 | bottleneck          | conv2 (3x3, unpadded) leaves no pixels of 2x2         | 70""",
    )
    fun `names the stage an invalid input breaks`(input: Int, path: String, problem: String, near: String) {
        val e = assertThrows<SpecException> { net.geometry().outputSize(input) }
        assertEquals(path, e.path())
        assertEquals("$path: $problem. Received: input $input; valid near it: $near", e.message)
        assertTrue(net.geometry().whyInvalid(input) != null)
    }
}
