package org.unet4j.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.unet4j.dsl.model.Activation
import org.unet4j.dsl.model.ExpandingStageSpec
import org.unet4j.dsl.model.HeadSpec
import org.unet4j.dsl.model.Normalization
import org.unet4j.dsl.model.OutputActivation
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.Pooling
import org.unet4j.dsl.model.PoolingKind
import org.unet4j.dsl.model.SkipMode
import org.unet4j.dsl.model.StageSpec
import org.unet4j.dsl.model.Upsampling
import org.unet4j.dsl.model.UNet

/** Every option of the model builders, through the DSL, against the records written out by hand. */
class ModelDslTest {
    @Test
    fun `each convolution of a stage has its own kernel`() {
        val net = unet {
            contracting { stage(8) { conv(3); conv(5) } }
            bottleneck(16) { conv(1); conv(3); conv(1) }
            expanding { stage(8) { conv(5); conv(3) } }
        }
        assertEquals(listOf(3, 5), net.contracting[0].kernels)
        assertEquals(3, net.contracting[0].kernel)
        assertEquals(listOf(1, 3, 1), net.bottleneck.kernels)
        assertEquals(3, net.bottleneck.convs)
        assertEquals(5, net.expanding[0].kernel)
        assertEquals(3, net.expanding[0].convKernel(2))
        val java = UNet.builder().contracting { c -> c.stage(8) { it.conv(3).conv(5) } }
            .bottleneck(16) { it.conv(1).conv(3).conv(1) }.expanding { e -> e.stage(8) { it.conv(5).conv(3) } }.build()
        assertEquals(java, net)
    }

    @Test
    fun `every block kind lands in its record`() {
        val net = unet(inputChannels = 1, classes = 2) {
            contracting {
                stage(8) { conv(3); conv(3); groupNorm(4); residual() }
                stage(16) { conv(3); instanceNorm(); leakyRelu(0.1) }
            }
            bottleneck(32) { conv(3); activation(Activation.GELU); residual() }
            expanding {
                stage(16) { conv(3); attentionSkip(); residual() }
                stage(8) { conv(3); leakyRelu() }
            }
            pooling(PoolingKind.STRIDED_CONV, 2)
        }
        val none = Normalization.NONE
        assertEquals(
            listOf(
                StageSpec(8, 2, 3, Padding.VALID, Activation.RELU, Normalization.GROUP, 0.0, 0, 0, 0, 4, 0.2, true),
                StageSpec(16, 1, 3, Padding.VALID, Activation.LEAKY_RELU, Normalization.INSTANCE, 0.0, 0, 0, 0, 0, 0.1,
                    false),
            ),
            net.contracting,
        )
        assertEquals(StageSpec(32, 1, 3, Padding.VALID, Activation.GELU, none, 0.0, 0, 0, 0, 0, 0.2, true), net.bottleneck)
        assertEquals(
            listOf(
                ExpandingStageSpec(16, 1, 3, Padding.VALID, Activation.RELU, none, 0.0, SkipMode.ATTENTION, 0, 0, 0, 0.2,
                    true),
                ExpandingStageSpec(8, 1, 3, Padding.VALID, Activation.LEAKY_RELU, none, 0.0, SkipMode.CENTER_CROP, 0, 0,
                    0, 0.2, false),
            ),
            net.expanding,
        )
        assertEquals(Pooling(PoolingKind.STRIDED_CONV, 2), net.pooling)
    }

    @Test
    fun `model-wide block defaults reach every stage and the mirrored expanding path`() {
        val net = unet(inputChannels = 1, classes = 2) { depth(2); baseFilters(4); residual(); attentionSkips(); groupNorm(2) }
        assertTrue(net.contracting.all { it.residual && it.groups == 2 && it.normalization == Normalization.GROUP })
        assertTrue(net.bottleneck.residual)
        assertEquals(listOf(SkipMode.ATTENTION, SkipMode.ATTENTION), net.expanding.map { it.skip })
        assertTrue(net.expanding.all { it.residual && it.groups == 2 })
    }

    @Test
    fun `bilinear upsampling is set model-wide or per expanding stage`() {
        val net = unet(inputChannels = 1, classes = 2) {
            depth(2); baseFilters(4); bilinearUpsampling()
            expanding {
                stage(8) { conv(3); conv(3) }
                stage(4) { conv(3); conv(3); upsampling(Upsampling.UP_CONV) }
            }
        }
        assertEquals(listOf(Upsampling.BILINEAR, Upsampling.UP_CONV), net.expanding.map { it.upsampling })
        val mirrored = unet(inputChannels = 1, classes = 2) { depth(2); baseFilters(4); upsampling(Upsampling.BILINEAR) }
        assertEquals(listOf(Upsampling.BILINEAR, Upsampling.BILINEAR), mirrored.expanding.map { it.upsampling })
        val one = unet(inputChannels = 1, classes = 2) {
            depth(1); baseFilters(2)
            expanding { stage(2) { bilinearUpsampling() } }
        }
        // 474 parameters: worked by hand in the dsl module's CountsTest
        assertEquals(474L, one.parameterCount())
    }

    @Test
    fun `every stage option lands in its record`() {
        val net = unet(inputChannels = 3, classes = 4) {
            contracting {
                stage(16) { convs(3); kernel(5); padding(Padding.SAME); activation(Activation.ELU) }
                stage(32) { conv(3); normalization(Normalization.BATCH); dropout(0.25) }
            }
            bottleneck(64) { conv(1); conv(1); batchNorm(); activation(Activation.LEAKY_RELU); dropout(0.5) }
            expanding {
                stage(32) { conv(3); conv(3); skip(SkipMode.CENTER_CROP) }
                stage(16) { conv(3); padding(Padding.SAME); noSkip() }
            }
            pooling(PoolingKind.AVERAGE, 2)
            head(kernel = 3, activation = OutputActivation.SIGMOID)
        }
        assertEquals(3, net.inputChannels)
        assertEquals(4, net.classes)
        assertEquals(Pooling.average(2), net.pooling)
        assertEquals(
            listOf(
                StageSpec(16, 3, 5, Padding.SAME, Activation.ELU, Normalization.NONE, 0.0),
                StageSpec(32, 1, 3, Padding.VALID, Activation.RELU, Normalization.BATCH, 0.25),
            ),
            net.contracting,
        )
        assertEquals(StageSpec(64, 2, 1, Padding.VALID, Activation.LEAKY_RELU, Normalization.BATCH, 0.5), net.bottleneck)
        assertEquals(
            listOf(
                ExpandingStageSpec(32, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0.0, SkipMode.CENTER_CROP),
                ExpandingStageSpec(16, 1, 3, Padding.SAME, Activation.RELU, Normalization.NONE, 0.0, SkipMode.NONE),
            ),
            net.expanding,
        )
        assertEquals(HeadSpec(3, OutputActivation.SIGMOID), net.head)
    }

    @Test
    fun `model-wide defaults reach the stages that do not say`() {
        val net = unet {
            convsPerStage(3)
            kernel(5)
            padding(Padding.SAME)
            activation(Activation.ELU)
            normalization(Normalization.BATCH)
            contracting { stage(8); stage(16) }
            bottleneck(32)
        }
        val expected = StageSpec(8, 3, 5, Padding.SAME, Activation.ELU, Normalization.BATCH, 0.0)
        assertEquals(expected, net.contracting[0])
        assertEquals(StageSpec(32, 3, 5, Padding.SAME, Activation.ELU, Normalization.BATCH, 0.0), net.bottleneck)
        // the mirrored path takes its partner's settings
        assertEquals(
            ExpandingStageSpec(16, 3, 5, Padding.SAME, Activation.ELU, Normalization.BATCH, 0.0, SkipMode.CENTER_CROP),
            net.expanding[0],
        )
    }

    @Test
    fun `the family shortcut is the Java builder's`() {
        assertEquals(UNet.paper(), unet { depth(4); baseFilters(64); dropout(0.5) })
        assertEquals(UNet.builder().build(), unet())
        assertEquals(
            UNet.builder().depth(2).baseFilters(8).batchNorm().pooling(Pooling.max(3)).build(),
            unet { depth(2); baseFilters(8); batchNorm(); pooling(Pooling.max(3)) },
        )
        assertEquals(UNet.builder().pooling(Pooling.max(4)).depth(1).build(), unet { depth(1); pooling(size = 4) })
    }

    @Test
    fun `fewer expanding stages than contracting ones`() {
        val coarse = unet {
            depth(4)
            baseFilters(64)
            expanding { stage(512); stage(256) }
        }
        // The model guide's numbers for the same net.
        assertEquals(4, coarse.geometry().outputStride())
        assertEquals(100, coarse.geometry().outputSize(572))
        assertEquals(30_313_666L, coarse.parameterCount())
    }
}
