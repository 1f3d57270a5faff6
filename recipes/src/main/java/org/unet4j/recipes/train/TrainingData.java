package org.unet4j.recipes.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.augment.VolumeAugmenter;
import org.unet4j.augment.VolumeSample;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.labels.ClassFrequencies;
import org.unet4j.labels.ClassLabels;
import org.unet4j.labels.WeightMapCache;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Dataset;
import org.unet4j.recipes.data.DatasetTiles;
import org.unet4j.recipes.data.LabelledImage;
import org.unet4j.recipes.data.LabelledVolume;
import org.unet4j.recipes.data.OutputGrid;
import org.unet4j.recipes.data.TileDraw;
import org.unet4j.recipes.data.TileSource;
import org.unet4j.recipes.data.VolumeDataset;
import org.unet4j.recipes.data.VolumeTiles;

/**
 * Where a {@link Training} gets its images and labels: the recipe's own files (folders, globs,
 * stacks, split into training and validation by the recipe), images already in memory, or a
 * generator of images. Each becomes batches of augmented tiles the same way: the recipe's
 * normalisation, class labels with separation borders, and the paper's weight map where the loss
 * uses it.
 */
public final class TrainingData {
  /** Weight maps kept in memory while training (the bundled nuclei set needs about 60 MB). */
  static final long WEIGHT_MAP_CACHE_BYTES = 1L << 30;

  private final Preparer preparer;

  private TrainingData(Preparer preparer) {
    this.preparer = preparer;
  }

  /** The recipe's {@code data} spec, relative paths against the working directory. */
  public static TrainingData fromRecipe() {
    return fromRecipe(Path.of(""));
  }

  /**
   * The recipe's {@code data} spec, relative paths against {@code base}. For a 3D net every image
   * file is one volume ({@link VolumeDataset}), its pages the planes.
   */
  public static TrainingData fromRecipe(Path base) {
    return new TrainingData((recipe, augmenter, threads, console) -> {
      if (recipe.model().dimensions() == 3) {
        VolumeDataset volumes = VolumeDataset.open(recipe, base, recipe.data().ignoreLabel());
        return volumeTiles(recipe, volumes.training(), volumes.validation());
      }
      Dataset dataset = Dataset.open(recipe, base).balancedOverTraining();
      WeightMapCache cache = WeightMapCache.inMemory(WEIGHT_MAP_CACHE_BYTES);
      long loading = System.nanoTime();
      List<Sample> training = dataset.load(dataset.training(), cache, threads);
      List<Sample> validation = dataset.load(dataset.validation(), cache, threads);
      if (console != null) {
        console.printf(Locale.ROOT, "unet4j train: %s, %d training and %d validation images (%d samples) loaded with"
            + " weight maps in %.1f s%n", recipe.name(), dataset.training().size(), dataset.validation().size(),
            training.size() + validation.size(), (System.nanoTime() - loading) / 1e9);
      }
      return tiles(recipe, augmenter, training, validation);
    });
  }

  /**
   * Volumes in memory for a 3D net's training, and others for the validation scores (may be
   * empty). Voxels not annotated ({@link org.unet4j.labels.InstanceVolume#ignored}) weigh nothing.
   */
  public static TrainingData volumes(List<LabelledVolume> training, List<LabelledVolume> validation) {
    if (training.isEmpty()) {
      throw new DataException("training data: give at least one labelled volume, got none");
    }
    List<LabelledVolume> trainingCopy = List.copyOf(training);
    List<LabelledVolume> validationCopy = List.copyOf(validation);
    return new TrainingData((recipe, augmenter, threads, console) ->
        volumeTiles(recipe, trainingCopy, validationCopy));
  }

  /** As {@link #volumes(List, List)} without validation. */
  public static TrainingData volumes(List<LabelledVolume> training) {
    return volumes(training, List.of());
  }

  /** Images in memory, all for training. */
  public static TrainingData of(List<LabelledImage> training) {
    return of(training, List.of());
  }

  /** Images in memory for training, and others for the validation scores. */
  public static TrainingData of(List<LabelledImage> training, List<LabelledImage> validation) {
    if (training.isEmpty()) {
      throw new DataException("training data: give at least one labelled image, got none");
    }
    List<LabelledImage> trainingCopy = List.copyOf(training);
    List<LabelledImage> validationCopy = List.copyOf(validation);
    return new TrainingData((recipe, augmenter, threads, console) -> {
      requireImages(recipe);
      Dataset.checkClasses(recipe);
      WeightMapCache cache = WeightMapCache.inMemory(WEIGHT_MAP_CACHE_BYTES);
      ClassFrequencies counts = ClassFrequencies.of(new long[2]);
      for (LabelledImage image : trainingCopy) {
        counts = counts.plus(Dataset.targetFrequencies(recipe, ClassLabels.ofCells(image.labels())));
      }
      Recipe balanced = Dataset.balanced(recipe, counts);
      return tiles(recipe, augmenter, samples(balanced, trainingCopy, cache), samples(balanced, validationCopy, cache));
    });
  }

  /**
   * Images from {@code generator}, a new one for every batch slot of every step (no image is seen
   * twice), and {@code validation} images in memory for the validation scores (may be empty).
   */
  public static TrainingData generated(SampleGenerator generator, List<LabelledImage> validation) {
    List<LabelledImage> validationCopy = List.copyOf(validation);
    return new TrainingData((recipe, augmenter, threads, console) -> {
      requireImages(recipe);
      Dataset.checkClasses(recipe);
      if (Dataset.balancesOverTrainingSet(recipe)) {
        throw new DataException("loss.classBalance dataset-frequency counts the classes of a fixed training set,"
            + " but generated images are new at every step; use inverse-frequency (per image), none or given");
      }
      WeightMapCache cache = WeightMapCache.inMemory(WEIGHT_MAP_CACHE_BYTES);
      int tile = recipe.training().tile();
      TileSource training = new GeneratedTiles(recipe, generator, augmenter, OutputGrid.of(recipe.model(), tile));
      List<Sample> held = samples(recipe, validationCopy, cache);
      return new Prepared(training, held.isEmpty() ? null : validationTiles(recipe, held));
    });
  }

  /** As {@link #generated(SampleGenerator, List)} without validation. */
  public static TrainingData generated(SampleGenerator generator) {
    return generated(generator, List.of());
  }

  Prepared prepare(Recipe recipe, Augmenter augmenter, int threads, @Nullable PrintStream console) {
    return preparer.prepare(recipe, augmenter, threads, console);
  }

  /** The batches of one run: training tiles, and validation tiles where there is validation data. */
  record Prepared(TileSource training, @Nullable TileSource validation) {}

  @FunctionalInterface
  private interface Preparer {
    Prepared prepare(Recipe recipe, Augmenter augmenter, int threads, @Nullable PrintStream console);
  }

  /** Refuses images for a 3D net, which trains on volumes. */
  private static void requireImages(Recipe recipe) {
    if (recipe.model().dimensions() == 3) {
      throw new DataException(recipe.name() + ": a 3D net (model.dimensions 3) trains on volumes, and this"
          + " training data gives 2D images; give volumes (TrainingData.volumes) or the recipe's data spec");
    }
  }

  /** Tiles of volumes: the recipe's augmentation in 3D, training blocks at the net's valid input. */
  private static Prepared volumeTiles(Recipe recipe, List<LabelledVolume> training, List<LabelledVolume> validation) {
    Dataset.checkClasses(recipe);
    if (Dataset.balancesOverTrainingSet(recipe)) {
      throw new DataException("loss.classBalance dataset-frequency is not implemented for volumes yet; use"
          + " inverse-frequency (per volume), none or given");
    }
    Size3 input = TrainingGraph.trainingBlock(recipe);
    Size3 output = recipe.model().volumeGeometry().outputSize(input);
    TileSource tiles = new VolumeTiles(volumeSamples(recipe, training, "training"),
        VolumeAugmenter.of(recipe.augmentation()), input, output, recipe.training().batchSize(),
        recipe.training().seed());
    TileSource held = validation.isEmpty() ? null : new VolumeTiles(volumeSamples(recipe, validation, "validation"),
        VolumeAugmenter.of(AugmentationSpec.none()), input, output, recipe.training().batchSize(),
        recipe.training().seed() + 1);
    return new Prepared(tiles, held);
  }

  private static List<VolumeSample> volumeSamples(Recipe recipe, List<LabelledVolume> volumes, String role) {
    List<VolumeSample> samples = new ArrayList<>();
    for (int i = 0; i < volumes.size(); i++) {
      try {
        samples.add(VolumeDataset.sample(recipe, volumes.get(i)));
      } catch (InvalidInputException e) {
        throw new DataException(role + " data, volume " + i + ": " + e.getMessage(), e);
      }
    }
    return samples;
  }

  private static List<Sample> samples(Recipe recipe, List<LabelledImage> images, WeightMapCache cache) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      LabelledImage image = images.get(i);
      try {
        samples.add(Dataset.sample(recipe, image.image(), image.labels(), cache));
      } catch (InvalidInputException e) {
        throw new DataException("training data, image " + i + ": " + e.getMessage(), e);
      }
    }
    return samples;
  }

  private static Prepared tiles(Recipe recipe, Augmenter augmenter, List<Sample> training, List<Sample> validation) {
    int tile = recipe.training().tile();
    TileSource tiles = new DatasetTiles(training, augmenter, OutputGrid.of(recipe.model(), tile),
        recipe.training().batchSize(), recipe.training().seed());
    return new Prepared(tiles, validation.isEmpty() ? null : validationTiles(recipe, validation));
  }

  /** Validation tiles: the same draw as training's from another seed, without augmentation. */
  private static TileSource validationTiles(Recipe recipe, List<Sample> validation) {
    int tile = recipe.training().tile();
    return new DatasetTiles(validation, Augmenter.of(AugmentationSpec.none()), OutputGrid.of(recipe.model(), tile),
        recipe.training().batchSize(), recipe.training().seed() + 1);
  }

  /** Tiles of generated images: slot {@code b} of step {@code s} is image {@code s * batch + b}. */
  private static final class GeneratedTiles implements TileSource {
    private final Recipe recipe;
    private final SampleGenerator generator;
    private final Augmenter augmenter;
    private final OutputGrid grid;
    private final WeightMapCache cache = WeightMapCache.inMemory(64L << 20);

    GeneratedTiles(Recipe recipe, SampleGenerator generator, Augmenter augmenter, OutputGrid grid) {
      this.recipe = recipe;
      this.generator = generator;
      this.augmenter = augmenter;
      this.grid = grid;
    }

    @Override
    public Batch batch(long step) {
      int batchSize = recipe.training().batchSize();
      return Batch.of(batchSize, grid, recipe.model().inputChannels(), b -> {
        long index = step * batchSize + b;
        LabelledImage image = generator.generate(index);
        Sample sample;
        try {
          sample = Dataset.sample(recipe, image.image(), image.labels(), cache);
        } catch (InvalidInputException e) {
          throw new DataException("generated training image " + index + ": " + e.getMessage(), e);
        }
        return augmenter.randomTile(sample, grid.labelCrop(), TileDraw.of(recipe.training().seed(), step, b, 1).seed());
      });
    }
  }
}
