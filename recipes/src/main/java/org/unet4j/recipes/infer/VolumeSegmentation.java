package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.labels.InstanceVolume;

/**
 * What {@link Model#predict(org.unet4j.recipes.data.Volume)} returns: the class probabilities of
 * every voxel and the instances, the 6-connected components of the foreground.
 *
 * @param probabilities the class probabilities
 * @param labels the instance labels, of the probabilities' size
 */
public record VolumeSegmentation(VolumeProbabilities probabilities, InstanceVolume labels) {

  public VolumeSegmentation {
    checkNotNull(probabilities, "probabilities");
    checkNotNull(labels, "labels");
    checkArgument(probabilities.size().equals(labels.size()), "probabilities of %s but labels of %s",
        probabilities.size(), labels.size());
  }
}
