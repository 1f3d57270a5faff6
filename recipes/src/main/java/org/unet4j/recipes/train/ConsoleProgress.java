package org.unet4j.recipes.train;

import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/**
 * The training progress people see (steps/s, loss, learning rate, time left), as a listener: a bar
 * on a terminal, a line every few seconds on a file or pipe ({@link Progress}). It starts at the
 * first step it hears of, so a resumed run counts from where it resumed. What {@code unet4j train}
 * prints, and what {@link Training#console} adds.
 */
public final class ConsoleProgress implements TrainingListener, AutoCloseable {
  private final PrintStream out;
  private @Nullable Progress progress;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onStep(StepEvent event) {
    if (progress == null) {
      progress = Progress.start(out, "train", event.step(), event.steps());
    }
    progress.update(event.step() + 1, event.loss(), event.learningRate());
  }

  @Override
  public void close() {
    if (progress != null) {
      progress.close();
      progress = null;
    }
  }
}
