package org.unet4j.recipes.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.unet4j.augment.Sample;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.DataPair;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.labels.ClassFrequencies;
import org.unet4j.labels.ClassLabels;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.labels.LabelDecoder;
import org.unet4j.labels.WeightMapCache;

/**
 * The image/label pairs of a recipe's data spec, split into training and validation by the
 * training seed, and their loading into samples: normalised image, class labels (for cell instances
 * with separation borders between touching cells; K classes for class maps and three-class labels;
 * ignored pixels weight 0), and the paper's weight map (computed once per image).
 */
public final class Dataset {
  private final Recipe recipe;
  private final List<ImagePair> training;
  private final List<ImagePair> validation;

  private Dataset(Recipe recipe, List<ImagePair> training, List<ImagePair> validation) {
    this.recipe = recipe;
    this.training = List.copyOf(training);
    this.validation = List.copyOf(validation);
  }

  /** Pairs the recipe's images and labels (relative paths against {@code base}) and splits them. */
  public static Dataset open(Recipe recipe, Path base) {
    checkClasses(recipe, recipe.data().formatClasses());
    List<ImagePair> pairs = pairs(recipe.data(), base);
    List<ImagePair> shuffled = new ArrayList<>(pairs);
    Collections.shuffle(shuffled, new Random(recipe.training().seed()));
    int held = (int) Math.round(pairs.size() * recipe.data().validationFraction());
    if (recipe.data().validationFraction() > 0 && held == 0 && pairs.size() > 1) {
      held = 1;
    }
    held = Math.min(held, pairs.size() - 1);
    List<ImagePair> validation = new ArrayList<>(shuffled.subList(0, held));
    List<ImagePair> training = new ArrayList<>(shuffled.subList(held, shuffled.size()));
    validation.sort(java.util.Comparator.comparing(ImagePair::name));
    training.sort(java.util.Comparator.comparing(ImagePair::name));
    return new Dataset(recipe, training, validation);
  }

  /**
   * The data spec's image files with their label files: the explicit {@code data.pairs}, each
   * file with its file or, for folders and globs, in sorted order; else {@code data.images} and
   * {@code data.labels} paired by file name, every image needing its labels. Relative paths
   * resolve against {@code base}; errors name the resolved paths.
   */
  public static List<ImagePair> pairs(DataSpec data, Path base) {
    if (!data.pairs().isEmpty()) {
      List<ImagePair> pairs = new ArrayList<>();
      for (int i = 0; i < data.pairs().size(); i++) {
        pairs.addAll(inOrder("data.pairs[" + i + "]", data.pairs().get(i), base));
      }
      return pairs;
    }
    List<Path> images = FilePattern.resolve("data.images", data.images(), base);
    List<Path> labels = FilePattern.resolve("data.labels", data.labels(), base);
    Map<String, Path> labelsByName = new LinkedHashMap<>();
    for (Path l : labels) {
      labelsByName.put(FilePattern.stem(l), l);
    }
    List<ImagePair> pairs = new ArrayList<>();
    List<String> unmatched = new ArrayList<>();
    for (Path image : images) {
      String name = FilePattern.stem(image);
      Path label = labelsByName.get(name);
      if (label == null) {
        unmatched.add(image.getFileName().toString());
      } else {
        pairs.add(new ImagePair(name, image, label));
      }
    }
    if (!unmatched.isEmpty()) {
      throw new DataException("data.labels: " + unmatched.size() + " of " + images.size()
          + " images have no label file of the same name in " + base.resolve(data.labels()).normalize() + ": "
          + String.join(", ", unmatched.subList(0, Math.min(5, unmatched.size())))
          + (unmatched.size() > 5 ? ", ..." : "") + "; images and labels pair by file name (to pair files"
          + " whatever their names, such as a stack with its label stack, use data.pairs)");
    }
    return pairs;
  }

  /** One explicit pair: a file with a file, or the files of two folders or globs in sorted order. */
  private static List<ImagePair> inOrder(String field, DataPair pair, Path base) {
    List<Path> images = FilePattern.resolve(field + ".images", pair.images(), base);
    List<Path> labels = FilePattern.resolve(field + ".labels", pair.labels(), base);
    if (images.size() != labels.size()) {
      throw new DataException(field + ": " + files(images.size()) + " of images in "
          + base.resolve(pair.images()).normalize() + " but " + files(labels.size()) + " of labels in "
          + base.resolve(pair.labels()).normalize() + "; a pair matches its files in sorted order, so the counts"
          + " must agree");
    }
    List<ImagePair> pairs = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      pairs.add(new ImagePair(FilePattern.stem(images.get(i)), images.get(i), labels.get(i)));
    }
    return pairs;
  }

  private static String files(int count) {
    return count + (count == 1 ? " file" : " files");
  }

  public List<ImagePair> training() {
    return training;
  }

  /**
   * This dataset, its samples weighted by the class frequencies of all its training labels when
   * the recipe's class balance is {@code dataset-frequency} (the labels are read once more for the
   * count, without the images); itself otherwise.
   */
  public Dataset balancedOverTraining() {
    if (!balancesOverTrainingSet(recipe)) {
      return this;
    }
    ClassFrequencies sum = ClassFrequencies.of(new long[Math.max(2, recipe.model().classes())]);
    for (ImagePair pair : training) {
      List<Image> labels = ImageIo.readPages(pair.labels());
      for (int page = 0; page < labels.size(); page++) {
        sum = sum.plus(targetFrequencies(recipe, decode(pair, labels.get(page), page)));
      }
    }
    return new Dataset(balanced(recipe, sum), training, validation);
  }

  /**
   * The class counts of the targets the recipe's net is trained on from {@code labels}: the
   * pixels' for a net whose output has the input's resolution, the majority classes of the
   * {@code s x s} blocks for one of output stride s ({@link ClassFrequencies#ofBlocks}), so that the
   * class balance weighs the targets the loss sees.
   */
  public static ClassFrequencies targetFrequencies(Recipe recipe, ClassLabels labels) {
    return ClassFrequencies.ofBlocks(labels, recipe.model().geometry().outputStride());
  }

  /** Whether the recipe's weight maps need the class frequencies of the whole training set. */
  public static boolean balancesOverTrainingSet(Recipe recipe) {
    return WeightedCrossEntropyLoss.findIn(recipe.loss())
        .filter(loss -> loss.classBalance() == ClassBalance.DATASET_FREQUENCY).isPresent();
  }

  /**
   * {@code recipe} with a {@code dataset-frequency} class balance turned into the class weights of
   * {@code frequencies} (see {@link ClassFrequencies#resolve}); the recipe as it is otherwise.
   */
  public static Recipe balanced(Recipe recipe, ClassFrequencies frequencies) {
    Optional<WeightedCrossEntropyLoss> weighted = WeightedCrossEntropyLoss.findIn(recipe.loss());
    if (weighted.isEmpty() || weighted.get().classBalance() != ClassBalance.DATASET_FREQUENCY) {
      return recipe;
    }
    return recipe.toBuilder()
        .loss(WeightedCrossEntropyLoss.replaceIn(recipe.loss(), frequencies.resolve(weighted.get()))).build();
  }

  public List<ImagePair> validation() {
    return validation;
  }

  /** Loads pairs into samples on {@code threads} threads (every page of a stack is a sample). */
  public List<Sample> load(List<ImagePair> pairs, WeightMapCache cache, int threads) {
    ExecutorService pool = DaemonThreads.pool("unet4j-load", threads);
    try {
      List<Future<List<Sample>>> futures = new ArrayList<>();
      for (ImagePair pair : pairs) {
        futures.add(pool.submit(() -> load(pair, cache)));
      }
      List<Sample> samples = new ArrayList<>();
      for (Future<List<Sample>> f : futures) {
        samples.addAll(DaemonThreads.result(f, "loading images"));
      }
      return samples;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One pair as samples: one per page. */
  public List<Sample> load(ImagePair pair, WeightMapCache cache) {
    List<Image> images = ImageIo.readPages(pair.image());
    List<Image> labels = ImageIo.readPages(pair.labels());
    if (images.size() != labels.size()) {
      throw new DataException(pair.image() + " has " + images.size() + " pages but its labels " + pair.labels()
          + " have " + labels.size() + "; pages pair in order, so image and label stacks need the same number");
    }
    List<Sample> samples = new ArrayList<>();
    for (int page = 0; page < images.size(); page++) {
      Image image = images.get(page);
      Image label = labels.get(page);
      PageLimits.checkFinite(pair.image(), page, image, 0);
      if (image.width() != label.width() || image.height() != label.height()) {
        throw new DataException(pair.image() + " is " + image.width() + "x" + image.height() + " but its"
            + " labels " + pair.labels() + " are " + label.width() + "x" + label.height()
            + (images.size() > 1 ? " (page " + page + ")" : "") + "; image and labels must have the same size");
      }
      if (image.channels() != recipe.model().inputChannels()) {
        throw new DataException(pair.image() + " has " + image.channels() + " channel(s) but the model"
            + " reads " + recipe.model().inputChannels() + " (model.inputChannels)");
      }
      samples.add(sample(recipe, image, decode(pair, label, page), cache));
    }
    return samples;
  }

  /** A label page as class labels, in the recipe's label format. */
  private ClassLabels decode(ImagePair pair, Image label, int page) {
    PageLimits.checkFinite(pair.labels(), page, label, 0);
    try {
      return classLabels(label, recipe);
    } catch (InvalidInputException e) {
      throw new DataException(pair.labels() + (page > 0 ? " (page " + page + ")" : "") + ": " + e.getMessage(), e);
    }
  }

  /**
   * A label image as the recipe's training target classes: decoded in {@code data.labelFormat}
   * (channel 0, or the three RGB channels of class colours) with {@code data.ignoreLabel}.
   *
   * @throws InvalidInputException when the image holds a value or colour the format does not allow
   */
  public static ClassLabels classLabels(Image label, Recipe recipe) {
    DataSpec data = recipe.data();
    int read = data.labelFormat() == LabelFormat.CLASS_COLORS ? Math.min(3, label.channels()) : 1;
    int[][] channels = new int[read][];
    for (int c = 0; c < read; c++) {
      channels[c] = label.channelAsInts(c);
    }
    return LabelDecoder.classes(channels, label.width(), label.height(), data, recipe.model().classes());
  }

  /**
   * One training sample as the recipe makes it: the image normalised by {@code data.normalization},
   * the class labels with separation borders between touching cells and, for the weighted
   * cross-entropy, the paper's weight map (eq. 2) from {@code cache}; weight 1 everywhere otherwise.
   */
  public static Sample sample(Recipe recipe, Image image, InstanceLabels instances, WeightMapCache cache) {
    return sample(recipe, image, ClassLabels.ofCells(instances), cache);
  }

  /**
   * One training sample of K-class labels: the image normalised by {@code data.normalization}, the
   * classes (ignored pixels {@link ClassLabels#IGNORED}) and, for the weighted cross-entropy, eq. 2
   * for K classes from {@code cache}; weight 1 everywhere otherwise; weight 0 on ignored pixels. For
   * a net of output stride above 1, a per-image ({@code inverse-frequency}) class balance is that of
   * the downsampled targets ({@link #targetFrequencies}).
   */
  public static Sample sample(Recipe recipe, Image image, ClassLabels labels, WeightMapCache cache) {
    if (image.width() != labels.width() || image.height() != labels.height()) {
      throw new DataException("an image of " + image.width() + "x" + image.height() + " needs labels of"
          + " the same size, got " + labels.width() + "x" + labels.height());
    }
    if (image.channels() != recipe.model().inputChannels()) {
      throw new DataException("an image has " + image.channels() + " channel(s) but the model reads "
          + recipe.model().inputChannels() + " (model.inputChannels)");
    }
    float[] pixels = Normalizer.apply(image, recipe.data().normalization());
    int width = image.width();
    int height = image.height();
    int channels = image.channels();
    Optional<WeightedCrossEntropyLoss> weighted = WeightedCrossEntropyLoss.findIn(recipe.loss());
    int[] classes = labels.toArray();
    float[] weights;
    if (weighted.isPresent()) {
      WeightedCrossEntropyLoss loss = weighted.get();
      if (recipe.model().geometry().outputStride() > 1) {
        // Per-image class balance of the downsampled targets, not of the pixels (see targetFrequencies).
        loss = targetFrequencies(recipe, labels).resolvePerImage(loss);
      }
      weights = cache.get(labels, loss).weights();
    } else {
      weights = new float[classes.length];
      for (int i = 0; i < classes.length; i++) {
        weights[i] = classes[i] == ClassLabels.IGNORED ? 0f : 1f;
      }
    }
    return new Sample(height, width, channels, pixels, classes, weights);
  }

  /**
   * Refuses a model whose classes the labels cannot give: {@code given} classes (2 for cell
   * instances, 3 for three-class labels, one per class colour; empty for index labels, which take the
   * model's); a sigmoid model of 1 class stands for 2.
   */
  public static void checkClasses(Recipe recipe, OptionalInt given) {
    int classes = recipe.model().classes();
    boolean sigmoid = recipe.model().head().activation() == OutputActivation.SIGMOID;
    String format = JsonNames.of(recipe.data().labelFormat());
    if (given.isEmpty()) {
      if (classes < 2 && !sigmoid) {
        throw new DataException("model.classes: index labels need at least 2 classes, got " + classes);
      }
      return;
    }
    int k = given.getAsInt();
    if (!(classes == k || (k == 2 && classes == 1 && sigmoid))) {
      String what = k == 2 ? "2 classes (background, cell)"
          : k == 3 && recipe.data().labelFormat() == LabelFormat.THREE_CLASS
              ? "3 classes (background, interior, boundary)" : k + " classes (one per colour in data.classColors)";
      throw new DataException("model.classes: the labels (data.labelFormat " + format + ") give " + what
          + " but the model has " + classes + "; use classes " + k
          + (k == 2 ? " (soft-max) or 1 (sigmoid)" : "") + ", or another label format");
    }
  }

  /** {@link #checkClasses(Recipe, OptionalInt)} for cell instances in memory: two classes. */
  public static void checkClasses(Recipe recipe) {
    checkClasses(recipe, OptionalInt.of(2));
  }
}
