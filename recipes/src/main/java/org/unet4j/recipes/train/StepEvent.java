package org.unet4j.recipes.train;

import java.util.function.Consumer;

/**
 * One finished training step: its number (0-based), the run's last step, the batch's loss, the
 * learning rate it used and the run's training time so far. {@link #stop} ends the run after this
 * step, with a checkpoint of it.
 */
public final class StepEvent {
  private final long step;
  private final long steps;
  private final double loss;
  private final double learningRate;
  private final double seconds;
  private final Consumer<String> stopper;

  StepEvent(long step, long steps, double loss, double learningRate, double seconds, Consumer<String> stopper) {
    this.step = step;
    this.steps = steps;
    this.loss = loss;
    this.learningRate = learningRate;
    this.seconds = seconds;
    this.stopper = stopper;
  }

  /** The step that finished, counted from 0. */
  public long step() {
    return step;
  }

  /** The number of steps the run is set to (training.steps). */
  public long steps() {
    return steps;
  }

  public double loss() {
    return loss;
  }

  public double learningRate() {
    return learningRate;
  }

  /** Training time of the run so far, resumed parts included. */
  public double seconds() {
    return seconds;
  }

  /** Ends the run after this step; {@code reason} is logged and returned in the result. */
  public void stop(String reason) {
    stopper.accept(reason);
  }

  @Override
  public String toString() {
    return "StepEvent[step " + step + " of " + steps + ", loss " + loss + ", rate " + learningRate + "]";
  }
}
