package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.json.SpecJson;

/**
 * How a model is trained: optimizer, learning rate and schedule, steps, batch, input tile (and a 3D
 * net's block along z), seed and the checkpoint and validation intervals, which checkpoint is the
 * run's model and when it stops early. One seed fixes the weights, the data order and every augmentation.
 *
 * <p>With {@code averageDecay} above 0 the trainer also keeps an exponential moving average of the
 * trainable weights (Polyak averaging), which smooths the step-to-step noise of the last updates;
 * checkpoints give it to prediction, export and validation, and keep the raw weights for resuming.
 */
@Doc("Optimizer, learning rate, steps, batch, tile, seed, intervals, best checkpoint and early stopping.")
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
    @Doc("a 3D net's training block along z in voxels (y and x are tile); 0 for the valid size nearest tile")
        @Default("0") @Range(min = 0, max = 65536) int tileZ,
    @Doc("seed of weights, data order and augmentation") @Default("42") @Range(min = 0, max = 9.007199254740991E15)
        long seed,
    @Doc("steps between checkpoints") @Default("500") @Range(min = 1, max = 1e9) int checkpointEvery,
    @Doc("steps between validation runs, 0 for none") @Default("0") @Range(min = 0, max = 1e9) int validateEvery,
    @Doc("the checkpoint a model is read from: newest, or the best by a validation score (loss, iou, dice,"
        + " pixel-error, rand-error, seg), kept in checkpoints/best-N") @Default("\"newest\"")
        CheckpointSelection selectBy,
    @Doc("validations without a better selectBy score after which training stops, 0 for never") @Default("0")
        @Range(min = 0, max = 1e9) int patience,
    @Doc("how much a selectBy score must improve to count as better") @Default("0") @Range(min = 0, max = 1e9)
        double minDelta,
    @Doc("decay of an exponential moving average of the weights that prediction, export and validation use"
        + " (0.999 averages about the last 1,000 steps), 0 for none") @Default("0")
        @Range(min = 0, max = 1, maxExclusive = true) double averageDecay) {

  public TrainingSpec {
    checkNotNull(optimizer, "optimizer");
    checkNotNull(schedule, "schedule");
    Specs.checkComponent(TrainingSpec.class, "learningRate", learningRate);
    Specs.checkComponent(TrainingSpec.class, "warmupSteps", warmupSteps);
    Specs.checkComponent(TrainingSpec.class, "steps", steps);
    Specs.checkComponent(TrainingSpec.class, "batchSize", batchSize);
    Specs.checkComponent(TrainingSpec.class, "tile", tile);
    Specs.checkComponent(TrainingSpec.class, "tileZ", tileZ);
    Specs.checkComponent(TrainingSpec.class, "seed", seed);
    Specs.checkComponent(TrainingSpec.class, "checkpointEvery", checkpointEvery);
    Specs.checkComponent(TrainingSpec.class, "validateEvery", validateEvery);
    checkNotNull(selectBy, "selectBy");
    Specs.checkComponent(TrainingSpec.class, "patience", patience);
    Specs.checkComponent(TrainingSpec.class, "minDelta", minDelta);
    Specs.checkComponent(TrainingSpec.class, "averageDecay", averageDecay);
    if (warmupSteps >= steps && warmupSteps > 0) {
      throw new SpecException("warmupSteps", "expected fewer than steps (" + steps + "), got " + warmupSteps);
    }
    if (selectBy != CheckpointSelection.NEWEST && validateEvery == 0) {
      throw new SpecException("selectBy", "the best checkpoint by " + JsonNames.of(selectBy) + " needs validation"
          + " scores: set validateEvery above 0 (and data.validationFraction above 0), or selectBy \"newest\"");
    }
    if (patience > 0 && selectBy == CheckpointSelection.NEWEST) {
      throw new SpecException("patience", "early stopping after " + patience + " validations without improvement"
          + " needs a score to watch: set selectBy to loss, iou, dice, pixel-error, rand-error or seg, or patience 0");
    }
  }

  /**
   * A training whose 3D training block along z follows the tile ({@code tileZ} 0) and that keeps no
   * average of the weights, as every training did before {@code tileZ} and {@code averageDecay} were
   * recipe fields.
   */
  public TrainingSpec(OptimizerSpec optimizer, double learningRate, ScheduleSpec schedule, int warmupSteps,
      int steps, int batchSize, int tile, long seed, int checkpointEvery, int validateEvery,
      CheckpointSelection selectBy, int patience, double minDelta) {
    this(optimizer, learningRate, schedule, warmupSteps, steps, batchSize, tile, 0, seed, checkpointEvery,
        validateEvery, selectBy, patience, minDelta, 0);
  }

  /**
   * A training that reads its model from the newest checkpoint and never stops early, as every
   * training did before the best checkpoint and early stopping were recipe fields.
   */
  public TrainingSpec(OptimizerSpec optimizer, double learningRate, ScheduleSpec schedule, int warmupSteps,
      int steps, int batchSize, int tile, long seed, int checkpointEvery, int validateEvery) {
    this(optimizer, learningRate, schedule, warmupSteps, steps, batchSize, tile, seed, checkpointEvery,
        validateEvery, CheckpointSelection.NEWEST, 0, 0);
  }

  /** The paper's training: SGD momentum 0.99, batch 1, tile 572. */
  public static TrainingSpec paper() {
    return new TrainingSpec(SgdOptimizer.paper(), 0.01, new ConstantSchedule(), 0, 20000, 1, 572, 42, 500, 0);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final TrainingSpec DEFAULTS = SpecJson.defaults(TrainingSpec.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a training spec: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private OptimizerSpec optimizer;
    private double learningRate;
    private ScheduleSpec schedule;
    private int warmupSteps;
    private int steps;
    private int batchSize;
    private int tile;
    private int tileZ;
    private long seed;
    private int checkpointEvery;
    private int validateEvery;
    private CheckpointSelection selectBy;
    private int patience;
    private double minDelta;
    private double averageDecay;

    private Builder(TrainingSpec from) {
      this.optimizer = from.optimizer();
      this.learningRate = from.learningRate();
      this.schedule = from.schedule();
      this.warmupSteps = from.warmupSteps();
      this.steps = from.steps();
      this.batchSize = from.batchSize();
      this.tile = from.tile();
      this.tileZ = from.tileZ();
      this.seed = from.seed();
      this.checkpointEvery = from.checkpointEvery();
      this.validateEvery = from.validateEvery();
      this.selectBy = from.selectBy();
      this.patience = from.patience();
      this.minDelta = from.minDelta();
      this.averageDecay = from.averageDecay();
    }

    /** SGD with momentum or Adam. */
    public Builder optimizer(OptimizerSpec optimizer) {
      this.optimizer = checkNotNull(optimizer, "optimizer");
      return this;
    }

    public OptimizerSpec optimizer() {
      return optimizer;
    }

    /** The initial learning rate, above 0. */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public double learningRate() {
      return learningRate;
    }

    /** How the learning rate changes over the run. */
    public Builder schedule(ScheduleSpec schedule) {
      this.schedule = checkNotNull(schedule, "schedule");
      return this;
    }

    public ScheduleSpec schedule() {
      return schedule;
    }

    /** Linear warm-up steps from 0 to the learning rate, fewer than the steps. */
    public Builder warmupSteps(int warmupSteps) {
      this.warmupSteps = warmupSteps;
      return this;
    }

    public int warmupSteps() {
      return warmupSteps;
    }

    /** Optimizer steps, at least 1. */
    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    public int steps() {
      return steps;
    }

    /** Tiles per step. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public int batchSize() {
      return batchSize;
    }

    /** Input tile size in pixels; must be valid for the model. */
    public Builder tile(int tile) {
      this.tile = tile;
      return this;
    }

    public int tile() {
      return tile;
    }

    /**
     * A 3D net's training block along z in voxels (y and x are the tile); 0 for the valid size
     * nearest the tile.
     */
    public Builder tileZ(int tileZ) {
      this.tileZ = tileZ;
      return this;
    }

    public int tileZ() {
      return tileZ;
    }

    /** Seed of weights, data order and augmentation. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public long seed() {
      return seed;
    }

    /** Steps between checkpoints. */
    public Builder checkpointEvery(int checkpointEvery) {
      this.checkpointEvery = checkpointEvery;
      return this;
    }

    public int checkpointEvery() {
      return checkpointEvery;
    }

    /** Steps between validation runs, 0 for none. */
    public Builder validateEvery(int validateEvery) {
      this.validateEvery = validateEvery;
      return this;
    }

    public int validateEvery() {
      return validateEvery;
    }

    /** The checkpoint a model is read from: the newest, or the best by a validation score. */
    public Builder selectBy(CheckpointSelection selectBy) {
      this.selectBy = checkNotNull(selectBy, "selectBy");
      return this;
    }

    public CheckpointSelection selectBy() {
      return selectBy;
    }

    /** Validations without a better {@code selectBy} score after which training stops; 0 for never. */
    public Builder patience(int patience) {
      this.patience = patience;
      return this;
    }

    public int patience() {
      return patience;
    }

    /** How much a {@code selectBy} score must improve to count as better. */
    public Builder minDelta(double minDelta) {
      this.minDelta = minDelta;
      return this;
    }

    public double minDelta() {
      return minDelta;
    }

    /**
     * Decay of the moving average of the weights that prediction, export and validation use, in
     * [0, 1); 0 (the default) keeps no average.
     */
    public Builder averageDecay(double averageDecay) {
      this.averageDecay = averageDecay;
      return this;
    }

    public double averageDecay() {
      return averageDecay;
    }

    public TrainingSpec build() {
      return new TrainingSpec(optimizer, learningRate, schedule, warmupSteps, steps, batchSize, tile, tileZ, seed,
          checkpointEvery, validateEvery, selectBy, patience, minDelta, averageDecay);
    }
  }
}
