package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;

/**
 * How a model is trained: optimizer, learning rate and schedule, steps, batch, input tile, seed
 * and the checkpoint and validation intervals. One seed fixes the weights, the data order and
 * every augmentation.
 */
@Doc("Optimizer, learning rate, steps, batch, tile, seed and intervals.")
public record TrainingSpec(
    @Default("{\"type\": \"sgd\"}") OptimizerSpec optimizer,
    @Doc("initial learning rate") @Default("0.01") @Range(min = 0, max = 10, minExclusive = true)
        double learningRate,
    @Default("{\"type\": \"constant\"}") ScheduleSpec schedule,
    @Doc("linear warm-up steps from 0 to the learning rate") @Default("0") @Range(min = 0, max = 1e9)
        int warmupSteps,
    @Doc("optimizer steps") @Default("1000") @Range(min = 1, max = 1e9) int steps,
    @Doc("tiles per step (1 in the paper: large tiles instead of large batches)") @Default("1")
        @Range(min = 1, max = 1024) int batchSize,
    @Doc("input tile size in pixels; must be valid for the model") @Default("572") @Range(min = 1, max = 65536)
        int tile,
    @Doc("seed of weights, data order and augmentation") @Default("42") @Range(min = 0, max = 9.007199254740991E15)
        long seed,
    @Doc("steps between checkpoints") @Default("500") @Range(min = 1, max = 1e9) int checkpointEvery,
    @Doc("steps between validation runs, 0 for none") @Default("0") @Range(min = 0, max = 1e9) int validateEvery) {

  public TrainingSpec {
    checkNotNull(optimizer, "optimizer");
    checkNotNull(schedule, "schedule");
    Specs.checkComponent(TrainingSpec.class, "learningRate", learningRate);
    Specs.checkComponent(TrainingSpec.class, "warmupSteps", warmupSteps);
    Specs.checkComponent(TrainingSpec.class, "steps", steps);
    Specs.checkComponent(TrainingSpec.class, "batchSize", batchSize);
    Specs.checkComponent(TrainingSpec.class, "tile", tile);
    Specs.checkComponent(TrainingSpec.class, "seed", seed);
    Specs.checkComponent(TrainingSpec.class, "checkpointEvery", checkpointEvery);
    Specs.checkComponent(TrainingSpec.class, "validateEvery", validateEvery);
    if (warmupSteps >= steps && warmupSteps > 0) {
      throw new SpecException("warmupSteps", "expected fewer than steps (" + steps + "), got " + warmupSteps);
    }
  }

  /** The paper's training: SGD momentum 0.99, batch 1, tile 572. */
  public static TrainingSpec paper() {
    return new TrainingSpec(SgdOptimizer.paper(), 0.01, new ConstantSchedule(), 0, 20000, 1, 572, 42, 500, 0);
  }
}
