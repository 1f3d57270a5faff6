package org.unet4j.kotlin

import org.unet4j.dsl.json.SpecJson
import org.unet4j.dsl.model.Activation
import org.unet4j.dsl.model.HeadSpec
import org.unet4j.dsl.model.ModelBuilder
import org.unet4j.dsl.model.Normalization
import org.unet4j.dsl.model.OutputActivation
import org.unet4j.dsl.model.Padding
import org.unet4j.dsl.model.Pooling
import org.unet4j.dsl.model.PoolingKind
import org.unet4j.dsl.model.Upsampling

private val HEAD: HeadSpec = SpecJson.defaults(HeadSpec::class.java)

/**
 * The body of [unet]: the model-wide defaults, the family shortcut and the stages. As on the Java
 * builder, defaults apply when the net is built, so their order relative to the stages does not
 * matter.
 */
@Unet4jDsl
public class UNetScope internal constructor(private val builder: ModelBuilder) {
    /** Family shortcut: number of poolings (4 in the paper). */
    public fun depth(depth: Int) {
        builder.depth(depth)
    }

    /** Family shortcut: filters of the first stage, doubled at every stage down. */
    public fun baseFilters(filters: Int) {
        builder.baseFilters(filters)
    }

    /** Family shortcut: dropout after the last contracting stage and the bottleneck. */
    public fun dropout(rate: Double) {
        builder.dropout(rate)
    }

    /** Convolutions of a stage that does not declare its own. */
    public fun convsPerStage(convs: Int) {
        builder.convsPerStage(convs)
    }

    /** Kernel size of a stage that does not declare its own. */
    public fun kernel(size: Int) {
        builder.kernel(size)
    }

    public fun padding(padding: Padding) {
        builder.padding(padding)
    }

    public fun activation(activation: Activation) {
        builder.activation(activation)
    }

    public fun normalization(normalization: Normalization) {
        builder.normalization(normalization)
    }

    /** Batch normalization in every stage that does not declare otherwise. */
    public fun batchNorm() {
        builder.batchNorm()
    }

    /** Group normalization in [groups] channel groups in every stage that does not declare otherwise. */
    public fun groupNorm(groups: Int) {
        builder.groupNorm(groups)
    }

    /** Instance normalization in every stage that does not declare otherwise. */
    public fun instanceNorm() {
        builder.instanceNorm()
    }

    /** Leaky ReLU with [slope] for negative inputs in every stage that does not declare otherwise. */
    public fun leakyRelu(slope: Double = Activation.DEFAULT_LEAKY_SLOPE) {
        builder.leakyRelu(slope)
    }

    /** Every stage residual: contracting, bottleneck and expanding. */
    public fun residual() {
        builder.residual()
    }

    /** Attention-gated skips in every expanding stage that does not declare its own skip. */
    public fun attentionSkips() {
        builder.attentionSkips()
    }

    /** How every expanding stage that does not declare its own up-samples ([Upsampling.UP_CONV] unless set). */
    public fun upsampling(mode: Upsampling) {
        builder.upsampling(mode)
    }

    /** Bilinear upsampling and a learnt 3x3 convolution in every expanding stage that does not declare otherwise. */
    public fun bilinearUpsampling() {
        builder.bilinearUpsampling()
    }

    /** Down-sampling between stages; a bad size is reported as `pooling.size`. */
    public fun pooling(kind: PoolingKind = PoolingKind.MAX, size: Int) {
        builder.pooling(kind, size)
    }

    public fun pooling(pooling: Pooling) {
        builder.pooling(pooling)
    }

    /** The final convolution and the output activation. */
    public fun head(kernel: Int = HEAD.kernel, activation: OutputActivation = HEAD.activation) {
        builder.head(kernel, activation)
    }

    /** The contracting path, from the input down: `contracting { stage(32) { conv(3); conv(3) } }`. */
    public fun contracting(block: ContractingScope.() -> Unit) {
        builder.contracting { ContractingScope(it).block() }
    }

    /** The stage below the last pooling. */
    public fun bottleneck(filters: Int, block: StageScope.() -> Unit = {}) {
        builder.bottleneck(filters) { StageScope(it).block() }
    }

    /** The expanding path, from the bottleneck up, declared stage by stage. */
    public fun expanding(block: ExpandingScope.() -> Unit) {
        builder.expanding { ExpandingScope(it).block() }
    }

    /** The paper's expanding path (the default): one stage mirroring each contracting stage. */
    public fun expandingMirrorsContracting() {
        builder.expandingMirrorsContracting()
    }
}
