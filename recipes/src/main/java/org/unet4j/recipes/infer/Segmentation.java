package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.labels.InstanceLabels;

/**
 * A model's answer for one image: the probability of every class at every pixel, and the cells
 * found in it (connected components or watershed of the foreground, as the inference spec says).
 */
public record Segmentation(ProbabilityMap probabilities, InstanceLabels instances) {

  public Segmentation {
    checkNotNull(probabilities, "probabilities");
    checkNotNull(instances, "instances");
  }

  /** The number of objects found. */
  public int objects() {
    return instances.cellCount();
  }
}
