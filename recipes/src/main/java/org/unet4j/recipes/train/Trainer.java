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
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.losses.Loss;
import org.unet4j.losses.Losses;

/**
 * Trains a recipe's model into a {@link RunDirectory}: batches from a {@link TileSource}, the
 * learning rate from the schedule, checkpoints every {@code training.checkpointEvery} steps and at
 * the end, metrics and a loss curve, progress on the console. A resumed run restores the newest
 * good checkpoint and continues with the same data, augmentation and learning rate an
 * uninterrupted run would have used, because batches and rates depend only on the step.
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

  /** Runs the training to {@code training.steps} and returns its last checkpoint. */
  public TrainingResult train() {
    TrainingSpec spec = recipe.training();
    prepareDirectory();
    stopReason = null;
    try (TrainingGraph graph = TrainingGraph.build(recipe, objective == null ? Losses.of(recipe.loss()) : objective,
            0);
        Writer log = Files.newBufferedWriter(run.log(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
      Checkpoints checkpoints = run.checkpoints();
      long start = restoreOrInitialize(graph, checkpoints, log);
      MetricsLog.Row previous = MetricsLog.last(run.metrics(), start - 1);
      double secondsBefore = previous == null ? 0 : previous.seconds();
      long began = System.nanoTime();
      Checkpoint last = null;
      long done = spec.steps();
      double loss = previous == null ? Double.NaN : previous.loss();
      note(log, String.format(Locale.ROOT, "training %s from step %d to %d: %s, tile %d, batch %d, %,d parameters",
          recipe.name(), start, spec.steps(), JsonNames.of(spec.optimizer().getClass()), spec.tile(),
          spec.batchSize(), graph.model().parameterCount()));
      try (MetricsLog metrics = MetricsLog.open(run.metrics(), start - 1);
          Progress progress = Progress.start(console, "train", start, spec.steps())) {
        for (long step = start; step < spec.steps(); step++) {
          double rate = LearningRate.at(spec, step);
          Batch batch = tiles.batch(step);
          TrainingGraph.StepResult result = graph.step(batch, rate, step);
          loss = result.loss();
          if (!result.finite()) {
            Optional<Checkpoint> good = checkpoints.latest(new ArrayList<>());
            String kept = good.map(c -> "the last good checkpoint (step " + c.step() + ") is kept in " + c.directory())
                .orElse("no checkpoint had been written yet");
            String what = Float.isFinite(result.loss()) ? "the gradients became " + result.gradientNorm()
                : "the loss became " + result.loss();
            String message = String.format(Locale.ROOT, "%s at step %d (learning rate %.3g); training stopped and "
                + "%s. Lower training.learningRate or check the data", what, step, rate, kept);
            note(log, message);
            throw new TrainingDivergedException(step, message);
          }
          double seconds = secondsBefore + (System.nanoTime() - began) / 1e9;
          ValidationScores scores = validate(graph, step);
          double validationLoss = scores == null ? Double.NaN : scores.loss();
          metrics.append(new MetricsLog.Row(step, loss, rate, seconds, validationLoss));
          progress.update(step + 1, loss, rate);
          StepEvent event = new StepEvent(step, spec.steps(), loss, rate, seconds, this::stop);
          for (TrainingListener l : listeners) {
            l.onStep(event);
          }
          if (scores != null) {
            note(log, "validation after step " + (step + 1) + ": " + scores);
            ValidationEvent validated = new ValidationEvent(step, scores, this::stop);
            for (TrainingListener l : listeners) {
              l.onValidation(validated);
            }
          }
          boolean lastStep = step + 1 == spec.steps() || stopReason != null;
          if ((step + 1) % spec.checkpointEvery() == 0 || lastStep) {
            last = checkpoints.save(graph.session(), graph.variableShapes(), step + 1, loss);
            note(log, String.format(Locale.ROOT, "step %d loss %.5f: checkpoint %s%s", step + 1, loss,
                last.directory().getFileName(), ProcessMemory.residentMb().stream()
                    .mapToObj(mb -> ", resident memory " + mb + " MB").findFirst().orElse("")));
            LossCurve.write(MetricsLog.read(run.metrics()), run.lossCurve(), recipe.name());
          }
          if (stopReason != null) {
            note(log, "stopped after step " + (step + 1) + ": " + stopReason);
            done = step + 1;
            break;
          }
        }
      }
      if (last == null) {
        last = checkpoints.latest(new ArrayList<>()).orElseThrow(
            () -> new CheckpointException("no checkpoint in " + checkpoints.directory()));
      }
      double seconds = (System.nanoTime() - began) / 1e9;
      note(log, String.format(Locale.ROOT, "done: %d steps, last loss %.5f, %.1f s in this run", done, loss,
          seconds));
      return new TrainingResult(last, done, Math.max(0, done - start), loss, seconds, stopReason);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void prepareDirectory() {
    try {
      if (resume) {
        if (!run.holdsRun()) {
          throw new IllegalArgumentException("--resume: " + run.root() + " holds no run (no recipe.json); "
              + "start one with the same --out and without --resume");
        }
        // A resumed run may continue with changed settings (more steps, say): record them.
        String text = Recipes.toJson(recipe);
        if (!text.equals(Files.readString(run.recipe(), StandardCharsets.UTF_8))) {
          Checkpoints.writeAtomically(run.recipe(), text);
        }
        return;
      }
      if (run.holdsRun()) {
        throw new IllegalArgumentException(run.root() + " already holds a run; continue it with --resume or choose"
            + " another --out folder");
      }
      Files.createDirectories(run.root());
      Checkpoints.writeAtomically(run.recipe(), Recipes.toJson(recipe));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + run.root(), e);
    }
  }

  /** Restores the newest good checkpoint when resuming; returns the first step to run. */
  private long restoreOrInitialize(TrainingGraph graph, Checkpoints checkpoints, Writer log) {
    if (resume) {
      List<String> skipped = new ArrayList<>();
      Optional<Checkpoint> latest = checkpoints.latest(skipped);
      skipped.forEach(reason -> note(log, "skipped " + reason));
      if (latest.isPresent()) {
        Checkpoints.restore(graph.session(), graph.variableShapes(), latest.get());
        note(log, "resumed from " + latest.get().directory().getFileName() + " (step " + latest.get().step() + ")");
        return latest.get().step();
      }
      note(log, "no checkpoint to resume from; starting at step 0");
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
    ValidationScores.Accumulator scores = new ValidationScores.Accumulator();
    for (int i = 0; i < VALIDATION_BATCHES; i++) {
      Batch batch = validation.batch(i);
      TrainingGraph.Validation v = graph.validate(batch);
      scores.add(v.loss(), batch.labels(), batch.weights(), v.foreground());
    }
    return scores.scores();
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
