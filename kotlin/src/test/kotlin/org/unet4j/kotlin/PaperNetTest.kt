package org.unet4j.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import org.unet4j.dsl.model.UNet

/** The paper's net (Ronneberger et al. 2015, Fig. 1) declared with the Kotlin DSL, stage by stage. */
class PaperNetTest {
    private val net = unet(inputChannels = 1, classes = 2) {
        contracting {
            stage(64) { conv(3); conv(3) }
            stage(128) { conv(3); conv(3) }
            stage(256) { conv(3); conv(3) }
            stage(512) { conv(3); conv(3); dropout(0.5) }
        }
        bottleneck(1024) { conv(3); conv(3); dropout(0.5) }
        expandingMirrorsContracting()
    }

    @Test
    fun `equals UNet paper`() {
        assertEquals(UNet.paper(), net)
    }

    @Test
    fun `has 23 convolutional layers (Sec 2)`() {
        assertEquals(23, net.convolutionLayers())
    }

    @Test
    fun `has 31,030,658 parameters, counted by hand`() {
        // A k x k convolution from cin to cout channels has k*k*cin*cout weights and cout biases.
        fun conv(k: Int, cin: Int, cout: Int): Long = k.toLong() * k * cin * cout + cout

        var byHand = 0L
        for ((cin, cout) in listOf(1 to 64, 64 to 128, 128 to 256, 256 to 512)) {
            byHand += conv(3, cin, cout) + conv(3, cout, cout)
        }
        byHand += conv(3, 512, 1024) + conv(3, 1024, 1024)
        for (cout in listOf(512, 256, 128, 64)) {
            // 2x2 up-convolution halving the channels, then the concatenation doubles them again.
            byHand += conv(2, 2 * cout, cout) + conv(3, 2 * cout, cout) + conv(3, cout, cout)
        }
        byHand += conv(1, 64, 2)

        assertEquals(31_030_658L, byHand)
        assertEquals(byHand, net.parameterCount())
    }

    @Test
    fun `maps 572 to 388 with the shapes of Fig 1`() {
        assertEquals(388, net.geometry().outputSize(572))
        val shapes = net.geometry().layers(572).associate { it.path to it.shape() }
        assertEquals("570x570x64", shapes["contracting/0/conv1"])
        assertEquals("568x568x64", shapes["contracting/0/conv2"])
        assertEquals("28x28x1024", shapes["bottleneck/conv2"])
        assertEquals("56x56x512", shapes["expanding/0/upconv"])
        assertEquals("56x56x1024", shapes["expanding/0/concat"])
        assertEquals("388x388x64", shapes["expanding/3/conv2"])
        assertEquals("388x388x2", shapes["head"])
    }

    /** Input 16b + 124 gives output 16b - 60 for b >= 4; no other size passes every layer. */
    @ParameterizedTest
    @ValueSource(ints = [1, 2, 171, 172, 187, 188, 189, 500, 508, 512, 524, 572, 700, 701, 1020])
    fun `valid inputs are 16b + 124`(input: Int) {
        val b = (input - 124) / 16
        val valid = input >= 188 && (input - 124) % 16 == 0
        assertEquals(valid, net.geometry().isValidInput(input), "input $input")
        if (valid) {
            assertEquals(16 * b - 60, net.geometry().outputSize(input))
        }
    }

    @Test
    fun `offers the valid sizes around an invalid one and loses 92 pixels per side`() {
        assertEquals(listOf(508, 524), net.geometry().validInputsNear(512))
        assertEquals(listOf(572), net.geometry().validInputsNear(572))
        assertEquals(188, net.geometry().smallestValidInput())
        assertEquals(16, net.geometry().period())
        assertEquals(92, net.geometry().margin())
        assertTrue(net.geometry().validInputs(500, 530) == listOf(508, 524))
        assertFalse(net.geometry().isValidInput(0))
    }
}
