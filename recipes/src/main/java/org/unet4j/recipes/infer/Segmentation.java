package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.unet4j.labels.InstanceLabels;

/**
 * A model's answer for one image: the probability of every class at every pixel, the cells found
 * in it (connected components or watershed of the foreground, as the inference spec says) and,
 * when {@code inference.instancesPerClass} asks, the objects of each class k >= 1 apart.
 *
 * @param classInstances the instances of class k at index k - 1 ({@link Predictor#classInstances});
 *     empty unless asked for
 */
public record Segmentation(ProbabilityMap probabilities, InstanceLabels instances,
    List<InstanceLabels> classInstances) {

  public Segmentation {
    checkNotNull(probabilities, "probabilities");
    checkNotNull(instances, "instances");
    classInstances = List.copyOf(classInstances);
  }

  /** A segmentation without per-class instances. */
  public Segmentation(ProbabilityMap probabilities, InstanceLabels instances) {
    this(probabilities, instances, List.of());
  }

  /** The number of objects found. */
  public int objects() {
    return instances.cellCount();
  }
}
