package org.unet4j.recipes.train;

/**
 * Observes a training run: called after every step and after every validation, on the training
 * thread. Both methods do nothing by default, so a listener overrides what it needs; either may end
 * the run early with {@link StepEvent#stop} or {@link ValidationEvent#stop} (early stopping,
 * a time budget, a user's cancel button).
 *
 * <p>From Kotlin: {@code object : TrainingListener { override fun onStep(event: StepEvent) { ... } }},
 * or {@link #onEveryStep} with a lambda.
 */
public interface TrainingListener {

  /** Step {@code event.step()} finished. */
  default void onStep(StepEvent event) {}

  /** The validation tiles were scored after step {@code event.step()}. */
  default void onValidation(ValidationEvent event) {}

  /** A listener of steps alone, from a lambda. */
  static TrainingListener onEveryStep(java.util.function.Consumer<StepEvent> action) {
    return new TrainingListener() {
      @Override
      public void onStep(StepEvent event) {
        action.accept(event);
      }
    };
  }

  /** A listener of validations alone, from a lambda. */
  static TrainingListener onEveryValidation(java.util.function.Consumer<ValidationEvent> action) {
    return new TrainingListener() {
      @Override
      public void onValidation(ValidationEvent event) {
        action.accept(event);
      }
    };
  }
}
