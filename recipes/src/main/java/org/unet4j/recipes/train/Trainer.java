package org.unet4j.recipes.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Session;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.CheckpointSelection;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.layers.ConvolutionForm;
import org.unet4j.layers.WinogradOps;
import org.unet4j.losses.Loss;
import org.unet4j.losses.Losses;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.OutputFolderException;
import org.unet4j.recipes.data.TileSource;
import org.unet4j.recipes.model.BestCheckpoint;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;
import org.unet4j.recipes.model.RunLock;
import org.unet4j.recipes.model.RunLockedException;
import org.unet4j.recipes.model.RunWriteException;

/**
 * Trains a recipe's model into a {@link RunDirectory}: batches from a {@link TileSource}, the
 * learning rate from the schedule, checkpoints every {@code training.checkpointEvery} steps and at
 * the end, metrics and a loss curve, progress on the console. A resumed run restores the newest
 * good checkpoint and continues with the same data, augmentation and learning rate an
 * uninterrupted run would have used, because batches and rates depend only on the step.
 *
 * <p>With {@code training.selectBy} naming a validation score, every validation that improves it
 * (by more than {@code training.minDelta}) saves the weights as the run's best checkpoint, and
 * {@code training.patience} validations in a row without one end the run ({@link EarlyStopping}).
 * A resumed run starts from the best score it had kept.
 */
public final class Trainer {
  /** How many validation batches are averaged for the validation loss. */
  public static final int VALIDATION_BATCHES = 4;

  private final Recipe recipe;
  private final RunDirectory run;
  private final TileSource tiles;
  private @Nullable TileSource validation;
  private @Nullable PrintStream console;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private @Nullable Loss objective;
  private @Nullable String stopReason;
  private boolean resume;
  private boolean restart;
  private @Nullable BiConsumer<Session, String> checkpointWriter;
  private @Nullable BestCheckpoint best;
  private @Nullable BiFunction<Long, ValidationScores, ValidationScores> rescore;

  private Trainer(Recipe recipe, Path directory, TileSource tiles) {
    this.recipe = recipe;
    this.run = new RunDirectory(directory);
    this.tiles = tiles;
  }

  /** A trainer for {@code recipe} writing to {@code directory}, fed by {@code tiles}. */
  public static Trainer of(Recipe recipe, Path directory, TileSource tiles) {
    return new Trainer(recipe, directory, tiles);
  }

  /** Batches for the validation loss, every {@code training.validateEvery} steps. */
  public Trainer validation(TileSource source) {
    this.validation = source;
    return this;
  }

  /** Where progress goes (standard error in the command line); none by default. */
  public Trainer console(PrintStream out) {
    this.console = out;
    return this;
  }

  /** Called after every step with its loss (kept for callers of the step-only interface). */
  public Trainer listener(StepListener stepListener) {
    return listener(TrainingListener.onEveryStep(e -> stepListener.afterStep(e.step(), e.loss())));
  }

  /** Called after every step and validation; listeners run in the order they were added. */
  public Trainer listener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /**
   * Minimise {@code loss} instead of the recipe's; the recipe's loss spec still decides the weight
   * maps the batches carry.
   */
  public Trainer loss(Loss loss) {
    this.objective = loss;
    return this;
  }

  /** Continue the run in the directory from its newest good checkpoint. */
  public Trainer resume(boolean resumeRun) {
    this.resume = resumeRun;
    return this;
  }

  /**
   * When resuming a run whose checkpoints are all damaged, start it again at step 0 instead of
   * refusing with {@link NoUsableCheckpointException}. Off by default: a silent restart throws the
   * run's training away.
   */
  public Trainer restartWhenNoCheckpointIsUsable(boolean restart) {
    this.restart = restart;
    return this;
  }

  /** Validation scores replaced by {@code scores(step, computed)} (tests that script them). */
  Trainer rescore(BiFunction<Long, ValidationScores, ValidationScores> scores) {
    this.rescore = scores;
    return this;
  }

  /** Checkpoints written by {@code writer(session, prefix)} instead of TensorFlow's save (tests). */
  Trainer checkpointWriter(BiConsumer<Session, String> writer) {
    this.checkpointWriter = writer;
    return this;
  }

  /**
   * Runs the training to {@code training.steps} and returns its last checkpoint. The run directory
   * is locked for this process while it trains ({@link RunLock}); a refused start (another process
   * writes the run, a checkpoint that does not fit, none usable) leaves every file of the run as it
   * was, because nothing is written before all checks have passed.
   *
   * @throws SpecException when the recipe selects its best checkpoint but there are no validation tiles
   * @throws OutputFolderException when the directory cannot hold this run
   * @throws RunLockedException when another process writes the run
   * @throws NoUsableCheckpointException when resuming and every checkpoint is damaged
   * @throws CheckpointException when the checkpoint to resume from does not fit the recipe's model
   * @throws TrainingDivergedException when the loss or the weights stop being finite
   * @throws RunWriteException when a checkpoint cannot be written
   */
  public TrainingResult train() {
    CheckpointSelection selectBy = recipe.training().selectBy();
    if (selectBy != CheckpointSelection.NEWEST && validation == null) {
      throw new SpecException("training.selectBy", "the best checkpoint by " + JsonNames.of(selectBy)
          + " needs validation images, and this run has none (data.validationFraction is 0 or leaves no image);"
          + " hold some out, or select the newest checkpoint");
    }
    checkDirectory();
    try {
      Files.createDirectories(run.root());
    } catch (IOException e) {
      throw new OutputFolderException(run.root(), "cannot create " + run.root() + ": " + e.getMessage(), e);
    }
    try (RunLock lock = RunLock.acquire(run.root())) {
      // Again under the lock: another process may have started a run here since the first check.
      checkDirectory();
      return trainLocked();
    }
  }

  private void checkDirectory() {
    if (resume) {
      run.checkCanResume();
    } else {
      run.checkCanStart();
    }
  }

  private TrainingResult trainLocked() {
    TrainingSpec spec = recipe.training();
    stopReason = null;
    try (TrainingGraph graph = TrainingGraph.build(recipe, objective == null ? Losses.of(recipe.loss()) : objective,
        0)) {
      Checkpoints checkpoints = checkpointWriter == null ? run.checkpoints()
          : new Checkpoints(run.checkpoints().directory(), RunDirectory.KEEP_CHECKPOINTS, checkpointWriter);
      List<String> notes = new ArrayList<>();
      long start = restoreOrInitialize(graph, checkpoints, notes);
      Optional<ValidationMetric> selectBy = ValidationMetric.of(spec.selectBy());
      best = resume && selectBy.isPresent() ? checkpoints.best(new ArrayList<>()).orElse(null) : null;
      List<TrainingListener> watching = new ArrayList<>(listeners);
      if (spec.patience() > 0) {
        EarlyStopping stopping = EarlyStopping.on(selectBy.orElseThrow(), spec.patience(), spec.minDelta());
        if (best != null) {
          stopping.startFrom(best.score(), best.checkpoint().step() - 1);
        }
        watching.add(0, stopping);
      }
      // Every check has passed: only from here on does the run change.
      writeRecipe();
      try (Writer log = Files.newBufferedWriter(run.log(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND)) {
        notes.forEach(n -> note(log, n));
        return loop(spec, graph, checkpoints, start, log, selectBy.orElse(null), watching);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + run.log(), e);
    }
  }

  private TrainingResult loop(TrainingSpec spec, TrainingGraph graph, Checkpoints checkpoints, long start,
      Writer log, @Nullable ValidationMetric selectBy, List<TrainingListener> watching) {
    MetricsLog.Row previous = MetricsLog.last(run.metrics(), start - 1);
    double secondsBefore = previous == null ? 0 : previous.seconds();
    long began = System.nanoTime();
    Checkpoint last = null;
    double loss = previous == null ? Double.NaN : previous.loss();
    note(log, String.format(Locale.ROOT, "training %s from step %d to %d: %s, tile %d, batch %d, %,d parameters",
        recipe.name(), start, spec.steps(), JsonNames.of(spec.optimizer().getClass()), spec.tile(),
        spec.batchSize(), graph.model().parameterCount()));
    note(log, "convolutions: " + ConvolutionForm.describe(graph.model().convolutionForms())
        + "; Winograd transforms: " + WinogradOps.describe());
    Checkpoints.Pending pending = null;
    long done = spec.steps();
    try (MetricsLog metrics = MetricsLog.open(run.metrics(), start - 1);
        ConsoleProgress progress = console == null ? null : new ConsoleProgress(console)) {
      for (long step = start; step < spec.steps(); step++) {
        double rate = LearningRate.at(spec, step);
        Batch batch = tiles.batch(step);
        TrainingGraph.StepResult result = graph.step(batch, rate, step);
        loss = result.loss();
        if (!result.finite()) {
          if (pending != null && Float.isFinite(result.loss())) {
            // Its weights gave a finite loss; only the update that followed went wrong.
            last = commit(checkpoints, pending, log);
            pending = null;
          } else if (pending != null) {
            // Its weights gave this loss: they are not good, so the checkpoint never takes its place.
            checkpoints.discard(pending);
            pending = null;
          }
          String what = Float.isFinite(result.loss()) ? "the gradients became " + result.gradientNorm()
              : "the loss became " + result.loss();
          throw diverged(checkpoints, log, step, rate, what + " at step " + step);
        }
        if (pending != null) {
          last = commit(checkpoints, pending, log);
          pending = null;
        }
        double seconds = secondsBefore + (System.nanoTime() - began) / 1e9;
        ValidationScores scores = validate(graph, step);
        double validationLoss = scores == null ? Double.NaN : scores.loss();
        metrics.append(new MetricsLog.Row(step, loss, rate, seconds, validationLoss));
        if (scores != null && selectBy != null) {
          keepIfBest(spec, graph, checkpoints, step, loss, rate, selectBy, scores.get(selectBy), log);
        }
        notifyListeners(progress, step, spec.steps(), loss, rate, seconds, scores, log, watching);
        // A listener may end the run here: its last step is then this one, checkpoint included.
        boolean lastStep = step + 1 == spec.steps() || stopReason != null;
        if ((step + 1) % spec.checkpointEvery() == 0 || lastStep) {
          if (!graph.weightsFinite()) {
            throw diverged(checkpoints, log, step, rate, "the weights became NaN or infinite in the update of step "
                + step + ", so no checkpoint was written for them");
          }
          long saved = step + 1;
          double savedLoss = loss;
          pending = graph.withAveragedWeights(
              () -> checkpoints.prepare(graph.session(), graph.variableShapes(), saved, savedLoss));
          if (lastStep) {
            // No next step will try these weights: try them on this step's batch, as predicting would.
            float after = graph.evaluate(batch);
            if (!Float.isFinite(after)) {
              throw diverged(checkpoints, log, step, rate, "the weights after the update of step " + step
                  + " give a loss of " + after + " on that step's batch, so no checkpoint was written for them");
            }
            last = commit(checkpoints, pending, log);
            pending = null;
          }
        }
        if (stopReason != null) {
          note(log, "stopped after step " + (step + 1) + ": " + stopReason);
          done = step + 1;
          break;
        }
      }
    } finally {
      if (pending != null) {
        checkpoints.discard(pending);
      }
    }
    if (last == null) {
      last = checkpoints.latest(new ArrayList<>()).orElseThrow(
          () -> new CheckpointException("no checkpoint in " + checkpoints.directory()));
    }
    double seconds = (System.nanoTime() - began) / 1e9;
    note(log, String.format(Locale.ROOT, "done: %d steps, last loss %.5f, %.1f s in this run", done, loss,
        seconds));
    return new TrainingResult(last, done, Math.max(0, done - start), loss, seconds, stopReason, best);
  }

  /**
   * Saves the weights after {@code step} as the best checkpoint when {@code score} improves on the
   * best one's. They were validated just now, so they are saved at once, not a step later as the
   * newest checkpoints are.
   */
  private void keepIfBest(TrainingSpec spec, TrainingGraph graph, Checkpoints checkpoints, long step, double loss,
      double rate, ValidationMetric metric, double score, Writer log) {
    if (!metric.improves(score, best == null ? Double.NaN : best.score(), spec.minDelta())) {
      return;
    }
    if (!graph.weightsFinite()) {
      throw diverged(checkpoints, log, step, rate, "the weights became NaN or infinite in the update of step "
          + step + ", so no best checkpoint was written for them");
    }
    best = graph.withAveragedWeights(() -> checkpoints.saveBest(graph.session(), graph.variableShapes(), step + 1,
        loss, JsonNames.of(spec.selectBy()), score));
    note(log, "best checkpoint so far: " + best.describe() + ", " + best.checkpoint().directory().getFileName());
  }

  /**
   * Puts a prepared checkpoint in place. A checkpoint's weights are those after a step's update,
   * but that step's loss was computed before it; so a checkpoint is committed only once the next
   * step has computed a finite loss with its weights (or, after the last step, once they gave a
   * finite loss on its batch): the last good checkpoint is always one whose weights gave a finite
   * loss.
   */
  private Checkpoint commit(Checkpoints checkpoints, Checkpoints.Pending pending, Writer log) {
    Checkpoint saved = checkpoints.commit(pending);
    note(log, String.format(Locale.ROOT, "step %d loss %.5f: checkpoint %s%s", saved.step(), saved.loss(),
        saved.directory().getFileName(), ProcessMemory.residentMb().stream()
            .mapToObj(mb -> ", resident memory " + mb + " MB").findFirst().orElse("")));
    LossCurve.write(MetricsLog.read(run.metrics()), run.lossCurve(), recipe.name());
    return saved;
  }

  private TrainingDivergedException diverged(Checkpoints checkpoints, Writer log, long step, double rate,
      String what) {
    Optional<Checkpoint> good = checkpoints.latest(new ArrayList<>());
    String kept = good.map(c -> "the last good checkpoint (step " + c.step() + ", written after " + c.step()
        + " steps) is kept in " + c.directory()).orElse("no checkpoint had been written yet");
    String message = String.format(Locale.ROOT, "%s (steps count from 0, as in metrics.csv; learning rate %.3g);"
        + " training stopped and %s. Lower training.learningRate or check the data", what, rate, kept);
    note(log, message);
    return new TrainingDivergedException(step, message);
  }

  private void writeRecipe() throws IOException {
    // A resumed run may continue with changed settings (more steps, say): record them.
    String text = Recipes.toJson(recipe);
    if (!run.holdsRun() || !text.equals(Files.readString(run.recipe(), StandardCharsets.UTF_8))) {
      Checkpoints.writeAtomically(run.recipe(), text);
    }
  }

  /**
   * Restores the newest good checkpoint when resuming; returns the first step to run. Writes
   * nothing: what should go to the log is added to {@code notes}.
   */
  private long restoreOrInitialize(TrainingGraph graph, Checkpoints checkpoints, List<String> notes) {
    if (resume) {
      List<String> skipped = new ArrayList<>();
      Optional<Checkpoint> latest = checkpoints.latest(skipped);
      for (String reason : skipped) {
        notes.add("skipped " + reason);
        if (console != null) {
          console.println("skipped a damaged checkpoint: " + reason);
        }
      }
      if (latest.isPresent()) {
        graph.restore(latest.get());
        notes.add("resumed from " + latest.get().directory().getFileName() + " (step " + latest.get().step() + ")");
        return latest.get().step();
      }
      if (!skipped.isEmpty() && !restart) {
        throw new NoUsableCheckpointException("none of the " + skipped.size() + " checkpoints of " + run.root()
            + " can be used (" + skipped.get(0) + (skipped.size() > 1 ? "; and " + (skipped.size() - 1) + " more" : "")
            + "); the run was not changed. Restore them from a backup, or start the run again from step 0");
      }
      notes.add(skipped.isEmpty() ? "no checkpoint to resume from; starting at step 0"
          : "no checkpoint can be used; starting again at step 0 as asked");
    }
    graph.session().initialize();
    return 0;
  }

  /** The validation tiles' scores after {@code step}, or null when this step does not validate. */
  private @Nullable ValidationScores validate(TrainingGraph graph, long step) {
    int every = recipe.training().validateEvery();
    if (validation == null || every == 0 || (step + 1) % every != 0) {
      return null;
    }
    TileSource tilesToScore = validation;
    // The weights a checkpoint gives prediction are scored: the averaged ones when the recipe keeps an average.
    ValidationScores scores = graph.withAveragedWeights(() -> {
      ValidationScores.Accumulator sums = new ValidationScores.Accumulator(Math.max(2, recipe.model().classes()));
      for (int i = 0; i < VALIDATION_BATCHES; i++) {
        Batch batch = tilesToScore.batch(i);
        TrainingGraph.Validation v = graph.validate(batch);
        Size3 block = new Size3(Math.max(1, batch.outputDepth()), batch.output(), batch.output());
        sums.add(v.loss(), block, batch.labels(), batch.weights(), v.predicted());
      }
      return sums.scores();
    });
    return rescore == null ? scores : rescore.apply(step, scores);
  }

  /** The console's progress first, then the listeners in the order they were added. */
  private void notifyListeners(@Nullable ConsoleProgress progress, long step, long steps, double loss, double rate,
      double seconds, @Nullable ValidationScores scores, Writer log, List<TrainingListener> watching) {
    StepEvent event = new StepEvent(step, steps, loss, rate, seconds, this::stop);
    if (progress != null) {
      progress.onStep(event);
    }
    for (TrainingListener l : watching) {
      l.onStep(event);
    }
    if (scores != null) {
      note(log, "validation after step " + (step + 1) + ": " + scores);
      ValidationEvent validated = new ValidationEvent(step, scores, this::stop);
      for (TrainingListener l : watching) {
        l.onValidation(validated);
      }
    }
  }

  private void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  private void note(Writer log, String message) {
    try {
      log.write(Instant.now() + " " + message + "\n");
      log.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
