package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.Volume;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.ModelSource;

/**
 * A trained model, loaded for prediction from code as {@code unet4j predict} uses it: the same
 * overlap-tile prediction with mirrored borders, test-time augmentation, streaming of large files
 * and instance post-processing.
 *
 * <pre>{@code
 * try (Model model = Model.load(Path.of("runs/nuclei"))) {
 *   Segmentation s = model.predict(image);          // in memory
 *   model.predict(Path.of("a.tif"), Path.of("out")); // a_prob.tif, a_labels.tif, a_overlay.png
 * }
 * }</pre>
 *
 * <p>Holds a TensorFlow session: close it when done. One model serves one thread at a time.
 */
public final class Model implements AutoCloseable {
  private final Predictor predictor;

  private Model(Predictor predictor) {
    this.predictor = predictor;
  }

  /**
   * The model at {@code path} with its recipe's inference settings: a run directory (its best
   * checkpoint when it keeps one, else its newest good checkpoint), a checkpoint folder, or an export.
   *
   * @throws org.unet4j.recipes.model.CheckpointException when no good checkpoint can be read
   */
  public static Model load(Path path) {
    ModelSource source = ModelSource.of(path);
    return load(source, source.recipe().inference());
  }

  /** As {@link #load(Path)}, predicting with {@code inference} instead of the recipe's settings. */
  public static Model load(Path path, InferenceSpec inference) {
    return load(ModelSource.of(path), inference);
  }

  /** The model of {@code source} predicting with {@code inference}. */
  public static Model load(ModelSource source, InferenceSpec inference) {
    return new Model(Predictor.open(source, inference));
  }

  /** The recipe the model was trained with. */
  public Recipe recipe() {
    return predictor.recipe();
  }

  /** The settings it predicts with. */
  public InferenceSpec inference() {
    return predictor.inference();
  }

  /** Where the weights came from, e.g. "run runs/x, checkpoint ckpt-000000900 (step 900)". */
  public String describe() {
    return predictor.source().describe();
  }

  /** The tile arithmetic: input tile, output size, step and mirrored context. */
  public Tiling tiling() {
    return predictor.tiling();
  }

  /**
   * The probability map and instances of an image of any size, and the instances of each class
   * when {@code inference.instancesPerClass} asks for them. The map is the one the recipe's inference
   * writes: with {@code inference.thinBoundaries}, its boundaries thinned ({@link Predictor#postProcessed}).
   */
  public Segmentation predict(Image image) {
    return predict(image, TileProgress.NONE);
  }

  /** As {@link #predict(Image)}, reporting tiles done to {@code progress}. */
  public Segmentation predict(Image image, TileProgress progress) {
    checkNotNull(image, "image");
    ProbabilityMap map = predictor.postProcessed(predictor.predict(image, progress));
    return new Segmentation(map, predictor.labels(map), predictor.classInstances(map));
  }

  /**
   * The probabilities and instances of a volume of any size, for a 3D net
   * ({@link VolumePredictor}).
   *
   * @throws org.unet4j.recipes.model.ModelMismatchException for a 2D net, or a volume whose channels
   *     differ from the model's input
   */
  public VolumeSegmentation predict(Volume volume) {
    return predict(volume, TileProgress.NONE);
  }

  /** As {@link #predict(Volume)}, reporting tiles done to {@code progress}. */
  public VolumeSegmentation predict(Volume volume, TileProgress progress) {
    checkNotNull(volume, "volume");
    VolumePredictor volumes = predictor.volumes();
    VolumeProbabilities probabilities = volumes.postProcessed(volumes.predict(volume, progress));
    return new VolumeSegmentation(probabilities, volumes.labels(probabilities));
  }

  /**
   * Predicts the image file (every page of a stack; for a 3D net, the stack as one volume) into {@code folder} as {@code NAME_prob.tif},
   * {@code NAME_labels.tif} and {@code NAME_overlay.png}, NAME being the file's name without its
   * extension; a net of 3 or more classes adds the class files ({@link PredictionFiles}).
   */
  public PredictedImage predict(Path file, Path folder) {
    return predict(file, folder, Set.of());
  }

  /**
   * {@link #predict(Path, Path)} that also writes {@code objectOutputs}: {@code NAME_rois.zip}
   * (an ImageJ ROI set) and {@code NAME_objects.csv} (per-object measurements), see
   * {@link ObjectFiles}.
   */
  public PredictedImage predict(Path file, Path folder, Set<ObjectOutput> objectOutputs) {
    checkNotNull(file, "file");
    return predictor.predictFile(file, FilePattern.stem(file), folder, objectOutputs, task -> TileProgress.NONE);
  }

  /** {@link #predict(Path, Path)} for each file, in order. */
  public List<PredictedImage> predictAll(List<Path> files, Path folder) {
    return predictAll(files, folder, Set.of());
  }

  /** {@link #predict(Path, Path, Set)} for each file, in order. */
  public List<PredictedImage> predictAll(List<Path> files, Path folder, Set<ObjectOutput> objectOutputs) {
    List<PredictedImage> done = new ArrayList<>();
    for (Path f : files) {
      done.add(predict(f, folder, objectOutputs));
    }
    return done;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
