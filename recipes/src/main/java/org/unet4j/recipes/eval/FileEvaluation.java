package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.labels.ConnectedComponents3d;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.labels.VolumeLabelDecoder;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;

/**
 * Scores prediction files against ground-truth files, one pair or two folders at a time, as
 * {@code unet4j evaluate} and {@code spark-predict --truth} do: the ISBI challenge metrics at their
 * best thresholds and the object scores, stacks slice by slice, or as one volume each for the
 * predictions of a 3D net ({@link #stacks(StackScoring)}). In folders a truth {@code NAME.ext}
 * pairs with the prediction {@code NAME_prob.tif} (what prediction writes) or {@code NAME.tif},
 * {@code .tiff}, {@code .png}; the predicted objects come from {@code NAME_labels.*} beside it or from
 * the threshold ({@link ObjectSource}).
 *
 * <pre>{@code
 * EvaluationReport report = FileEvaluation.of(LabelFormat.INSTANCE).evaluate(truthFolder, predictions);
 * report.summary().mean().objectF1();
 * }</pre>
 */
public final class FileEvaluation {
  /** The label format name of the challenge's own convention: cell = value > 0. */
  public static final String CELLS_ABOVE_ZERO = "cells-above-zero";

  /** The label format name of index labels: pixel value = class ({@link #ofClasses}). */
  public static final String INDEX = "index";

  /** Extensions of prediction and label files, in the order they are looked for. */
  public static final List<String> EXTENSIONS = List.of("tif", "tiff", "png");

  private final @Nullable LabelFormat truthFormat;
  private final double threshold;
  private final @Nullable Integer channel;
  private final ObjectSource objects;
  private final ProbabilityOf probabilityOf;
  /** Whether the truth is index labels, scored per class; then the truth format is null. */
  private final boolean indexLabels;
  private final int ignoreLabel;
  private final StackScoring stacks;

  private FileEvaluation(@Nullable LabelFormat truthFormat, double threshold, @Nullable Integer channel,
      ObjectSource objects, ProbabilityOf probabilityOf, boolean indexLabels, int ignoreLabel, StackScoring stacks) {
    checkArgument(threshold >= 0 && threshold <= 1, "threshold %s: a probability threshold lies in 0..1",
        threshold);
    checkArgument(channel == null || channel >= 0, "channel %s: channels are counted from 0", channel);
    this.truthFormat = truthFormat;
    this.threshold = threshold;
    this.channel = channel;
    this.objects = checkNotNull(objects, "objects");
    this.probabilityOf = checkNotNull(probabilityOf, "probabilityOf");
    this.indexLabels = indexLabels;
    this.ignoreLabel = Math.max(ignoreLabel, ClassMetrics.NO_IGNORE);
    this.stacks = checkNotNull(stacks, "stacks");
    checkArgument(indexLabels || stacks == StackScoring.VOLUME || this.ignoreLabel == ClassMetrics.NO_IGNORE,
        "ignore label %s: the page-by-page scores of a cell or instance truth count every pixel; an ignore label"
            + " applies to index labels and to stacks scored as volumes", ignoreLabel);
  }

  /**
   * An evaluation decoding the truth with {@code truthFormat} ({@link #ofClasses} without an ignore
   * label for {@code index}), or with the challenge's convention (cell = value > 0) when null; object threshold 0.5, the cell channel found as
   * {@link CellProbabilities#foreground} does, objects from labels where present.
   */
  public static FileEvaluation of(@Nullable LabelFormat truthFormat) {
    if (truthFormat == LabelFormat.INDEX) {
      return ofClasses(ClassMetrics.NO_IGNORE);
    }
    return new FileEvaluation(truthFormat, 0.5, null, ObjectSource.AUTO, ProbabilityOf.FOREGROUND, false,
        ClassMetrics.NO_IGNORE, StackScoring.SLICES);
  }

  /**
   * An evaluation reading the truth as index labels (pixel value = class 0..K-1, class 0 the
   * background) and scoring every class ({@link ClassMetrics}): per-class IoU, Dice and object F1
   * with their means over the foreground classes, and the object scores of the foreground. The
   * predicted classes are {@code NAME_classes.tif} beside a prediction {@code NAME_prob.tif} (what
   * prediction writes for a net of 3 or more classes), else the probability above the object
   * threshold (classes 0 and 1). The ISBI metrics score binary cell/membrane maps and are not
   * computed (NaN).
   *
   * @param ignoreLabel the truth value whose pixels every score leaves out (such as 255), or
   *     negative for none
   */
  public static FileEvaluation ofClasses(int ignoreLabel) {
    return new FileEvaluation(null, 0.5, null, ObjectSource.AUTO, ProbabilityOf.FOREGROUND, true, ignoreLabel,
        StackScoring.SLICES);
  }

  /**
   * An evaluation decoding the truth as a recipe's training data is decoded: {@link #ofClasses}
   * with the data's ignore label for {@code index} labels, else {@link #of(LabelFormat)}.
   */
  public static FileEvaluation of(DataSpec data) {
    checkNotNull(data, "data");
    return data.labelFormat() == LabelFormat.INDEX ? ofClasses(data.ignoreLabel()) : of(data.labelFormat());
  }

  /**
   * An evaluation of a recipe's predictions: its truth decoded as {@link #of(DataSpec)} does, read
   * as {@code inference.probabilityOf} writes them, and for a 3D net (model dimensions 3) each
   * stack scored as one volume ({@link StackScoring#VOLUME}) with the voxels of the data's
   * {@code ignoreLabel} left out, whatever the label format (as training leaves them out).
   */
  public static FileEvaluation of(Recipe recipe) {
    checkNotNull(recipe, "recipe");
    FileEvaluation evaluation = of(recipe.data()).probabilityOf(recipe.inference().probabilityOf());
    return recipe.model().dimensions() == 3
        ? evaluation.stacks(StackScoring.VOLUME).ignoreLabel(recipe.data().ignoreLabel()) : evaluation;
  }

  /** The same evaluation with the object scores' probability threshold (0..1). */
  public FileEvaluation threshold(double objectThreshold) {
    return new FileEvaluation(truthFormat, objectThreshold, channel, objects, probabilityOf, indexLabels,
        ignoreLabel, stacks);
  }

  /** The same evaluation reading the cell probability from channel {@code c} of the predictions. */
  public FileEvaluation channel(int c) {
    return new FileEvaluation(truthFormat, threshold, c, objects, probabilityOf, indexLabels, ignoreLabel, stacks);
  }

  /** The same evaluation taking the predicted objects from {@code source}. */
  public FileEvaluation objects(ObjectSource source) {
    return new FileEvaluation(truthFormat, threshold, channel, source, probabilityOf, indexLabels, ignoreLabel,
        stacks);
  }

  /**
   * The same evaluation reading predictions that hold the probability of {@code of}'s class, as
   * {@code inference.probabilityOf} writes them: a background map (ISBI 2012's membrane
   * probability) is scored as one minus it, the cell probability the metrics threshold.
   */
  public FileEvaluation probabilityOf(ProbabilityOf of) {
    return new FileEvaluation(truthFormat, threshold, channel, objects, of, indexLabels, ignoreLabel, stacks);
  }

  /**
   * The same evaluation leaving out the truth's pixels or voxels of value {@code label} (such as
   * 255 for "not annotated") from every score, or none for a negative {@code label}: for index
   * labels ({@link #ofClasses}) and for stacks scored as volumes, whatever their label format
   * ({@link VolumeMetrics}); the slice-by-slice scores of a cell or instance truth count every
   * pixel, as the challenge does.
   *
   * @throws IllegalArgumentException for a label {@code >= 0} on a cell or instance truth scored
   *     page by page (call {@link #stacks} first)
   */
  public FileEvaluation ignoreLabel(int label) {
    return new FileEvaluation(truthFormat, threshold, channel, objects, probabilityOf, indexLabels, label, stacks);
  }

  /**
   * The same evaluation scoring each multi-page TIFF as {@code scoring} says: page by page (the
   * default) or as one volume, the predictions of a 3D net ({@link VolumeMetrics}); index labels are
   * scored per class either way.
   *
   * @throws IllegalArgumentException for {@link StackScoring#SLICES} of a cell or instance truth
   *     with an ignore label
   */
  public FileEvaluation stacks(StackScoring scoring) {
    return new FileEvaluation(truthFormat, threshold, channel, objects, probabilityOf, indexLabels, ignoreLabel,
        scoring);
  }

  /** How a multi-page TIFF is scored: page by page, or as one volume. */
  public StackScoring stacks() {
    return stacks;
  }

  public ProbabilityOf probabilityOf() {
    return probabilityOf;
  }

  public @Nullable LabelFormat truthFormat() {
    return truthFormat;
  }

  /** Whether the truth is read as index labels and scored per class ({@link #ofClasses}). */
  public boolean indexLabels() {
    return indexLabels;
  }

  /** The truth value that the scores leave out, or -1 for none ({@link #ignoreLabel(int)}). */
  public int ignoreLabel() {
    return ignoreLabel;
  }

  /**
   * The truth format's recipe name, {@value #CELLS_ABOVE_ZERO} for the challenge's convention,
   * {@value #INDEX} for index labels.
   */
  public String truthFormatName() {
    return indexLabels ? INDEX : truthFormat == null ? CELLS_ABOVE_ZERO : JsonNames.of(truthFormat);
  }

  public double threshold() {
    return threshold;
  }

  public ObjectSource objects() {
    return objects;
  }

  /** A truth file, its prediction and, where the object scores use them, its predicted instances. */
  public record Pair(String name, Path truth, Path prediction, @Nullable Path instances) {
    public Pair {
      checkNotNull(name, "name");
      checkNotNull(truth, "truth");
      checkNotNull(prediction, "prediction");
    }
  }

  /** Scores every pair of {@link #pairs}. */
  public EvaluationReport evaluate(Path truth, Path prediction) {
    List<Pair> pairs = pairs(truth, prediction);
    List<ImageEvaluation> done = new ArrayList<>();
    for (Pair pair : pairs) {
      done.add(evaluate(pair));
    }
    return new EvaluationReport(this, truth, prediction, pairs, EvaluationSummary.of(done));
  }

  /**
   * Truth files paired with predictions: two files, a file and a folder of predictions, or two
   * folders (by name).
   *
   * @throws EvaluationInputException when a path does not exist, a folder of truths meets one
   *     prediction file, or a truth has no prediction
   */
  public List<Pair> pairs(Path truth, Path prediction) {
    if (!Files.exists(truth)) {
      throw new EvaluationInputException(EvaluationInput.TRUTH, truth + ": no such file or folder");
    }
    if (!Files.exists(prediction)) {
      throw new EvaluationInputException(EvaluationInput.PREDICTION, prediction + ": no such file or folder");
    }
    if (Files.isRegularFile(truth) && Files.isRegularFile(prediction)) {
      String stem = FilePattern.stem(prediction);
      Path parent = prediction.toAbsolutePath().getParent();
      Path instances = stem.endsWith("_prob") && parent != null
          ? instances(parent, stem.substring(0, stem.length() - "_prob".length())) : null;
      return List.of(new Pair(FilePattern.stem(truth), truth, prediction, instances));
    }
    if (Files.isDirectory(truth) && Files.isRegularFile(prediction)) {
      throw new EvaluationInputException(EvaluationInput.TRUTH, truth + " is a folder but the prediction "
          + prediction + " is a file; give two files or a folder of predictions");
    }
    List<Path> truths;
    if (Files.isDirectory(truth)) {
      try {
        truths = FilePattern.resolve("truth", truth.toString(), Path.of(""));
      } catch (DataException e) {
        // The folder exists (checked above), so it holds no image file.
        throw new EvaluationInputException(EvaluationInput.TRUTH, truth + " holds no image file (.png, .tif, .tiff)");
      }
    } else {
      truths = List.of(truth);
    }
    List<Pair> pairs = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Path t : truths) {
      String name = FilePattern.stem(t);
      Path p = predictionFile(prediction, name);
      if (p == null) {
        missing.add(t.getFileName().toString());
      } else {
        pairs.add(new Pair(name, t, p, instances(prediction, name)));
      }
    }
    if (!missing.isEmpty()) {
      throw new EvaluationInputException(EvaluationInput.PREDICTION, prediction + " has no prediction for "
          + missing.size() + " truth image" + (missing.size() == 1 ? "" : "s") + " ("
          + missing.stream().limit(5).collect(Collectors.joining(", ")) + (missing.size() > 5 ? ", ..." : "")
          + "); for a truth NAME.ext it looks for NAME_prob.tif or NAME.tif/.tiff/.png");
    }
    return pairs;
  }

  /** The predicted instances {@code NAME_labels.*} in {@code folder} that the object scores use, or null. */
  private @Nullable Path instances(Path folder, String name) {
    if (objects == ObjectSource.THRESHOLD) {
      return null;
    }
    Path found = firstExisting(folder, name + "_labels");
    if (found == null && objects == ObjectSource.LABELS) {
      throw new EvaluationInputException(EvaluationInput.OBJECTS, "labels: no " + name + "_labels.tif beside the"
          + " prediction in " + folder + "; predict with unet4j predict, which writes it");
    }
    return found;
  }

  /** The prediction for truth {@code name} in {@code folder}: NAME_prob.* first, then NAME.*. */
  private static @Nullable Path predictionFile(Path folder, String name) {
    Path prob = firstExisting(folder, name + "_prob");
    return prob != null ? prob : firstExisting(folder, name);
  }

  /** The file {@code stem.ext} in {@code folder} for the first extension that exists, or null. */
  public static @Nullable Path firstExisting(Path folder, String stem) {
    for (String extension : EXTENSIONS) {
      Path candidate = folder.resolve(stem + "." + extension);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * The scores of one pair.
   *
   * @throws InvalidInputException when a file cannot be read, the pages or sizes differ, or the
   *     truth holds values its label format refuses; the message names the files
   */
  public ImageEvaluation evaluate(Pair pair) {
    if (indexLabels) {
      return evaluateClasses(pair);
    }
    List<Image> truthPages = ImageIo.readPages(pair.truth());
    List<Image> predPages = pagesLike(truthPages, pair.truth(), "prediction", pair.prediction());
    Path instancesFile = pair.instances();
    List<Image> labelPages = instancesFile == null ? List.of()
        : pagesLike(truthPages, pair.truth(), "instances", instancesFile);
    if (stacks == StackScoring.VOLUME) {
      return evaluateVolume(pair, truthPages, predPages, labelPages);
    }
    List<GroundTruth> truths = new ArrayList<>();
    List<CellProbabilities> preds = new ArrayList<>();
    List<GroundTruth> instances = new ArrayList<>();
    for (int i = 0; i < truthPages.size(); i++) {
      Image t = truthPages.get(i);
      String page = truthPages.size() > 1 ? " (page " + (i + 1) + ")" : "";
      preds.add(probabilities(pair, t, predPages.get(i), page));
      try {
        truths.add(truthFormat == null ? GroundTruth.cellsAboveZero(t) : GroundTruth.decode(t, truthFormat));
      } catch (InvalidInputException e) {
        throw new TruthFormatException(pair.truth() + page + ": " + e.getMessage() + " (label format "
            + truthFormatName() + ")", e);
      }
      if (instancesFile != null) {
        instances.add(instances(instancesFile, t, labelPages.get(i), pair, page));
      }
    }
    return Evaluator.evaluate(pair.name(), truths, preds, threshold, instancesFile == null ? null : instances);
  }

  /** The cell probabilities of prediction page {@code p}, of the size of truth page {@code t}. */
  private CellProbabilities probabilities(Pair pair, Image t, Image p, String page) {
    if (t.width() != p.width() || t.height() != p.height()) {
      throw new DataException("truth " + pair.truth() + " is " + t.width() + "x" + t.height()
          + " but prediction " + pair.prediction() + " is " + p.width() + "x" + p.height() + page);
    }
    try {
      CellProbabilities read = channel == null ? CellProbabilities.foreground(p) : CellProbabilities.of(p, channel);
      return new CellProbabilities(read.width(), read.height(), probabilityOf.toForeground(read.values()));
    } catch (InvalidInputException e) {
      throw new DataException(pair.prediction() + page + ": " + e.getMessage(), e);
    }
  }

  /** Predicted instances page {@code l}, of the size of truth page {@code t}. */
  private static GroundTruth instances(Path instancesFile, Image t, Image l, Pair pair, String page) {
    if (l.width() != t.width() || l.height() != t.height()) {
      throw new DataException("truth " + pair.truth() + " is " + t.width() + "x" + t.height()
          + " but instances " + instancesFile + " are " + l.width() + "x" + l.height() + page);
    }
    try {
      return GroundTruth.decode(l, LabelFormat.INSTANCE);
    } catch (InvalidInputException e) {
      throw new DataException(instancesFile + page + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@link #evaluate(Pair)} of a stack as one volume: the truth decoded with 6-connected
   * components and its ignored voxels marked not annotated, the predicted instances as they are.
   */
  private ImageEvaluation evaluateVolume(Pair pair, List<Image> truthPages, List<Image> predPages,
      List<Image> labelPages) {
    List<CellProbabilities> planes = new ArrayList<>();
    for (int i = 0; i < truthPages.size(); i++) {
      planes.add(probabilities(pair, truthPages.get(i), predPages.get(i), " (page " + (i + 1) + ")"));
    }
    VolumeProbabilities prediction = VolumeProbabilities.of(planes);
    Size3 size = prediction.size();
    InstanceVolume truth;
    try {
      int[] raw = voxels(truthPages);
      if (truthFormat == null) {
        boolean[] cells = new boolean[raw.length];
        boolean[] ignored = new boolean[raw.length];
        for (int i = 0; i < raw.length; i++) {
          ignored[i] = ignoreLabel >= 0 && raw[i] == ignoreLabel;
          cells[i] = raw[i] > 0;
        }
        truth = ConnectedComponents3d.instances(cells, ignored, size);
      } else {
        truth = VolumeLabelDecoder.decode(raw, size, truthFormat, ignoreLabel);
      }
    } catch (InvalidInputException e) {
      throw new TruthFormatException(pair.truth() + ": " + e.getMessage() + " (label format " + truthFormatName()
          + ")", e);
    }
    Path instancesFile = pair.instances();
    InstanceVolume instances = instancesFile == null ? null : instanceVolume(pair, instancesFile, labelPages,
        size.x(), size.y());
    return Evaluator.evaluateVolume(pair.name(), truth, prediction, threshold, instances);
  }

  /**
   * The predicted instances of a stack scored as one volume, whose pages are {@code width x
   * height}, the truth's.
   *
   * @throws DataException when a page differs in size or holds a negative label
   */
  private static InstanceVolume instanceVolume(Pair pair, Path instancesFile, List<Image> labelPages, int width,
      int height) {
    for (int i = 0; i < labelPages.size(); i++) {
      Image l = labelPages.get(i);
      if (l.width() != width || l.height() != height) {
        throw new DataException("truth " + pair.truth() + " is " + width + "x" + height + " but instances "
            + instancesFile + " are " + l.width() + "x" + l.height() + " (page " + (i + 1) + ")");
      }
    }
    try {
      return InstanceVolume.of(voxels(labelPages), new Size3(labelPages.size(), height, width));
    } catch (InvalidInputException e) {
      throw new DataException(instancesFile + ": " + e.getMessage(), e);
    }
  }

  /** Channel 0 of equally sized pages as z-major integers. */
  private static int[] voxels(List<Image> pages) {
    int plane = pages.get(0).width() * pages.get(0).height();
    int[] voxels = new int[plane * pages.size()];
    for (int z = 0; z < pages.size(); z++) {
      System.arraycopy(pages.get(z).channelAsInts(0), 0, voxels, z * plane, plane);
    }
    return voxels;
  }

  /** {@link #evaluate(Pair)} against index labels. */
  private ImageEvaluation evaluateClasses(Pair pair) {
    List<Image> truthPages = ImageIo.readPages(pair.truth());
    Path classesFile = classesBeside(pair.prediction());
    Path predicted = classesFile != null ? classesFile : pair.prediction();
    List<Image> predPages = pagesLike(truthPages, pair.truth(), "prediction", predicted);
    Path instancesFile = pair.instances();
    List<Image> labelPages = instancesFile == null ? List.of()
        : pagesLike(truthPages, pair.truth(), "instances", instancesFile);
    List<ClassMap> truths = new ArrayList<>();
    List<ClassMap> preds = new ArrayList<>();
    List<GroundTruth> instances = new ArrayList<>();
    for (int i = 0; i < truthPages.size(); i++) {
      String page = truthPages.size() > 1 ? " (page " + (i + 1) + ")" : "";
      try {
        truths.add(ClassMap.of(truthPages.get(i)));
      } catch (InvalidInputException e) {
        throw new TruthFormatException(pair.truth() + page + ": " + e.getMessage() + " (label format " + INDEX + ")",
            e);
      }
      Image p = predPages.get(i);
      try {
        if (classesFile != null) {
          preds.add(ClassMap.of(p));
        } else {
          CellProbabilities read = channel == null ? CellProbabilities.foreground(p) : CellProbabilities.of(p, channel);
          boolean[] cells = new CellProbabilities(read.width(), read.height(),
              probabilityOf.toForeground(read.values())).cells(threshold);
          int[] classes = new int[cells.length];
          for (int j = 0; j < cells.length; j++) {
            classes[j] = cells[j] ? 1 : 0;
          }
          preds.add(ClassMap.of(classes, read.width(), read.height()));
        }
      } catch (InvalidInputException e) {
        throw new DataException(predicted + page + ": " + e.getMessage(), e);
      }
      if (instancesFile != null && stacks == StackScoring.SLICES) {
        try {
          instances.add(GroundTruth.decode(labelPages.get(i), LabelFormat.INSTANCE));
        } catch (InvalidInputException e) {
          throw new DataException(instancesFile + page + ": " + e.getMessage(), e);
        }
      }
    }
    if (stacks == StackScoring.VOLUME) {
      return Evaluator.evaluateClassVolume(pair.name(), truths, preds,
          instancesFile == null ? null
          : instanceVolume(pair, instancesFile, labelPages, truths.get(0).width(), truths.get(0).height()), ignoreLabel);
    }
    return Evaluator.evaluateClasses(pair.name(), truths, preds, instancesFile == null ? null : instances,
        ignoreLabel);
  }

  /** {@code NAME_classes.*} beside a prediction {@code NAME_prob.*}, or null. */
  private static @Nullable Path classesBeside(Path prediction) {
    String stem = FilePattern.stem(prediction);
    Path parent = prediction.toAbsolutePath().getParent();
    if (!stem.endsWith("_prob") || parent == null) {
      return null;
    }
    return firstExisting(parent, stem.substring(0, stem.length() - "_prob".length()) + "_classes");
  }

  /**
   * The pages of {@code file}, the {@code role} ("prediction" or "instances") of a pair.
   *
   * @throws DataException when they are not as many as the truth's
   */
  private static List<Image> pagesLike(List<Image> truthPages, Path truth, String role, Path file) {
    List<Image> read = ImageIo.readPages(file);
    if (read.size() != truthPages.size()) {
      throw new DataException("truth " + truth + " has " + pages(truthPages.size()) + " but " + role + " " + file
          + (role.endsWith("s") ? " have " : " has ") + pages(read.size()));
    }
    return read;
  }

  private static String pages(int count) {
    return count + " page" + (count == 1 ? "" : "s");
  }

  /** The truth holds values that its label format refuses. */
  public static final class TruthFormatException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    TruthFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
