package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.unet4j.augment.VolumeSample;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.labels.VolumeTarget;
import org.unet4j.labels.WeightMap3d;

/**
 * The training volumes of a recipe whose net is 3D: every image file of the data spec (paired and
 * split as {@link Dataset} pairs and splits them) is one volume, its pages the planes, and its
 * label file the label stack. Voxels whose label is the ignore value are not annotated.
 */
public final class VolumeDataset {
  private final List<LabelledVolume> training;
  private final List<LabelledVolume> validation;

  private VolumeDataset(List<LabelledVolume> training, List<LabelledVolume> validation) {
    this.training = List.copyOf(training);
    this.validation = List.copyOf(validation);
  }

  /**
   * Reads the recipe's data as volumes (relative paths against {@code base}).
   *
   * @param ignoreLabel the label value of voxels that are not annotated; negative: none
   */
  public static VolumeDataset open(Recipe recipe, Path base, int ignoreLabel) {
    checkNotNull(recipe, "recipe");
    Dataset files = Dataset.open(recipe, base);
    return new VolumeDataset(read(recipe, files.training(), ignoreLabel), read(recipe, files.validation(), ignoreLabel));
  }

  private static List<LabelledVolume> read(Recipe recipe, List<ImagePair> pairs, int ignoreLabel) {
    List<LabelledVolume> out = new ArrayList<>();
    for (ImagePair pair : pairs) {
      out.add(LabelledVolume.read(pair.image(), pair.labels(), recipe.data().labelFormat(), ignoreLabel));
    }
    return out;
  }

  public List<LabelledVolume> training() {
    return training;
  }

  public List<LabelledVolume> validation() {
    return validation;
  }

  /**
   * One training volume as the recipe makes it: the voxels normalised by {@code data.normalization}
   * over the whole volume, class labels with 3D separation borders and, for the weighted
   * cross-entropy, the eq. 2 weight map with the volume's voxel spacing ({@link WeightMap3d});
   * weight 1 otherwise. Voxels that are not annotated get weight 0 either way.
   *
   * @throws DataException when the volume's channels are not the model's
   */
  public static VolumeSample sample(Recipe recipe, LabelledVolume labelled) {
    checkNotNull(recipe, "recipe");
    checkNotNull(labelled, "labelled");
    Volume volume = labelled.volume();
    ModelSpec model = recipe.model();
    if (volume.channels() != model.inputChannels()) {
      throw new DataException("a volume has " + volume.channels() + " channel(s) but the model reads "
          + model.inputChannels() + " (model.inputChannels)");
    }
    float[] voxels = Normalizer.apply(volume.asImage(), recipe.data().normalization());
    Optional<WeightedCrossEntropyLoss> weighted = WeightedCrossEntropyLoss.findIn(recipe.loss());
    VolumeTarget target = weighted.isPresent()
        ? WeightMap3d.compute(labelled.labels(), weighted.get(), volume.spacing())
        : WeightMap3d.unweighted(labelled.labels());
    byte[] classes = target.classLabels();
    int[] labels = new int[classes.length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = classes[i];
    }
    return new VolumeSample(volume.size(), volume.channels(), volume.spacing(), voxels, labels, target.weights());
  }
}
