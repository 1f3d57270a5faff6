package org.unet4j.dsl.model;

/** The non-linearity after each convolution (after batch norm when there is one). */
public enum Activation {
  /** max(0, x), the paper's choice. */
  RELU,
  /** max(0.2 x, x). */
  LEAKY_RELU,
  /** x for x > 0, exp(x) - 1 otherwise. */
  ELU
}
