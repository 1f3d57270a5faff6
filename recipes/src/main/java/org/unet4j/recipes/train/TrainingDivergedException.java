package org.unet4j.recipes.train;

/** The loss became NaN or infinite; the run stopped and its last good checkpoint is kept. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;

  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The 0-based step whose loss was not finite. */
  public long step() {
    return step;
  }
}
