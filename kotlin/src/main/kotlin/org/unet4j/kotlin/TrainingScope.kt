package org.unet4j.kotlin

import org.unet4j.dsl.json.SpecJson
import org.unet4j.dsl.recipe.AdamOptimizer
import org.unet4j.dsl.recipe.CheckpointSelection
import org.unet4j.dsl.recipe.ConstantSchedule
import org.unet4j.dsl.recipe.CosineSchedule
import org.unet4j.dsl.recipe.OptimizerSpec
import org.unet4j.dsl.recipe.ScheduleSpec
import org.unet4j.dsl.recipe.SgdOptimizer
import org.unet4j.dsl.recipe.StepSchedule
import org.unet4j.dsl.recipe.TrainingSpec

private val SGD: SgdOptimizer = SpecJson.defaults(SgdOptimizer::class.java)
private val ADAM: AdamOptimizer = SpecJson.defaults(AdamOptimizer::class.java)
private val COSINE: CosineSchedule = SpecJson.defaults(CosineSchedule::class.java)

/** The body of `training { }`: the fields of [TrainingSpec], the optimizers and the schedules. */
@Unet4jDsl
public class TrainingScope internal constructor(private val builder: TrainingSpec.Builder) {
    public var optimizer: OptimizerSpec
        get() = builder.optimizer()
        set(value) {
            builder.optimizer(value)
        }

    /** The initial learning rate. */
    public var learningRate: Double
        get() = builder.learningRate()
        set(value) {
            builder.learningRate(value)
        }

    public var schedule: ScheduleSpec
        get() = builder.schedule()
        set(value) {
            builder.schedule(value)
        }

    /** Linear warm-up steps from 0 to the learning rate, fewer than [steps]. */
    public var warmupSteps: Int
        get() = builder.warmupSteps()
        set(value) {
            builder.warmupSteps(value)
        }

    /** Optimizer steps. */
    public var steps: Int
        get() = builder.steps()
        set(value) {
            builder.steps(value)
        }

    /** Tiles per step. */
    public var batchSize: Int
        get() = builder.batchSize()
        set(value) {
            builder.batchSize(value)
        }

    /** Input tile size in pixels; must be valid for the model. */
    public var tile: Int
        get() = builder.tile()
        set(value) {
            builder.tile(value)
        }

    /** A 3D net's training block along z in voxels (y and x are [tile]); 0 for the valid size nearest the tile. */
    public var tileZ: Int
        get() = builder.tileZ()
        set(value) {
            builder.tileZ(value)
        }

    /** Seed of the weights, the data order and every augmentation. */
    public var seed: Long
        get() = builder.seed()
        set(value) {
            builder.seed(value)
        }

    public var checkpointEvery: Int
        get() = builder.checkpointEvery()
        set(value) {
            builder.checkpointEvery(value)
        }

    /** Steps between validation runs, 0 for none. */
    public var validateEvery: Int
        get() = builder.validateEvery()
        set(value) {
            builder.validateEvery(value)
        }

    /** The checkpoint a model is read from: the newest, or the best by a validation score. */
    public var selectBy: CheckpointSelection
        get() = builder.selectBy()
        set(value) {
            builder.selectBy(value)
        }

    /** Validations without a better [selectBy] score after which training stops, 0 for never. */
    public var patience: Int
        get() = builder.patience()
        set(value) {
            builder.patience(value)
        }

    /** How much a [selectBy] score must improve to count as better. */
    public var minDelta: Double
        get() = builder.minDelta()
        set(value) {
            builder.minDelta(value)
        }

    /** Decay of the moving average of the weights that prediction uses, 0 for none. */
    public var averageDecay: Double
        get() = builder.averageDecay()
        set(value) {
            builder.averageDecay(value)
        }

    /** SGD with momentum (the paper's 0.99) at learning rate [lr]. */
    public fun sgd(lr: Double = learningRate, momentum: Double = SGD.momentum) {
        optimizer = SgdOptimizer(momentum)
        learningRate = lr
    }

    /** Adam at learning rate [lr]. */
    public fun adam(
        lr: Double = learningRate,
        beta1: Double = ADAM.beta1,
        beta2: Double = ADAM.beta2,
        epsilon: Double = ADAM.epsilon,
    ) {
        optimizer = AdamOptimizer(beta1, beta2, epsilon)
        learningRate = lr
    }

    /** The learning rate stays as given (after the warm-up). */
    public fun constantSchedule() {
        schedule = ConstantSchedule()
    }

    /** The learning rate is multiplied by [factor] every [every] steps. */
    public fun stepSchedule(every: Int, factor: Double) {
        schedule = StepSchedule(every, factor)
    }

    /** Cosine decay to [minFactor] times the learning rate at the last step. */
    public fun cosineSchedule(minFactor: Double = COSINE.minFactor) {
        schedule = CosineSchedule(minFactor)
    }
}
