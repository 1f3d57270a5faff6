package org.unet4j.dsl.model;

/** The non-linearity after each convolution (after its normalization when there is one). */
public enum Activation {
  /** max(0, x), the paper's choice. */
  RELU,
  /** max(s x, x) for the stage's {@code leakySlope} s (0.2 unless set). */
  LEAKY_RELU,
  /** x for x > 0, exp(x) - 1 otherwise. */
  ELU,
  /** x Phi(x), Phi the standard normal CDF: the exact (erf) form, not the tanh approximation. */
  GELU;

  /** The negative slope of {@link #LEAKY_RELU} when a stage does not set its own. */
  public static final double DEFAULT_LEAKY_SLOPE = 0.2;
}
