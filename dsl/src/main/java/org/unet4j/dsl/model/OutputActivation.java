package org.unet4j.dsl.model;

/** How the head's logits become class probabilities. */
public enum OutputActivation {
  /** The paper's pixel-wise soft-max over the K classes. */
  SOFTMAX,
  /** An independent sigmoid per class (multi-label masks). */
  SIGMOID
}
