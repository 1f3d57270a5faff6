package org.unet4j.recipes.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.data.ImageReadException;
import org.unet4j.recipes.eval.BestScore;
import org.unet4j.recipes.eval.CellProbabilities;
import org.unet4j.recipes.eval.EvaluationSummary;
import org.unet4j.recipes.eval.Evaluator;
import org.unet4j.recipes.eval.GroundTruth;
import org.unet4j.recipes.eval.ImageEvaluation;
import org.unet4j.recipes.eval.IsbiScores;
import org.unet4j.recipes.eval.ObjectMetrics;
import org.unet4j.recipes.eval.ObjectScores;
import org.unet4j.recipes.eval.Scores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unet4j evaluate --truth TRUTH --pred PRED [--recipe RECIPE | --labels FORMAT]
 * [--threshold T] [--channel C] [--json OUT.json]}: scores predicted cell probabilities against
 * ground truth with the ISBI 2012 challenge's metrics (each at its best threshold) and object
 * scores, one image or folder of images at a time. Loads no TensorFlow.
 */
@Command(name = "evaluate",
    description = {"Score predictions against ground truth: the ISBI 2012 challenge metrics (pixel error, Rand"
        + " error, warping error, V_rand, V_info; each at its best threshold, computed as the challenge does)"
        + " and object scores (foreground IoU, Dice, object F1 at IoU 0.5).",
        "TRUTH and PRED are image files or folders; in folders a truth NAME.ext pairs with the prediction"
        + " NAME_prob.tif (what unet4j predict writes) or NAME.tif/.tiff/.png. Multi-page TIFFs are stacks,"
        + " scored slice by slice as the challenge does."})
final class EvaluateCommand implements Callable<Integer> {
  /** The label format written for the challenge's own convention: cell = value > 0. */
  static final String CELLS_ABOVE_ZERO = "cells-above-zero";

  private static final String[] PREDICTION_EXTENSIONS = {"tif", "tiff", "png"};
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Option(names = "--truth", required = true, paramLabel = "TRUTH",
      description = "Ground-truth label image (TIFF or PNG, stacks allowed) or a folder of them.")
  Path truth;

  @Option(names = "--pred", required = true, paramLabel = "PRED",
      description = "Predicted cell probabilities (float TIFF as is; 8-bit images are read as v/255, 16-bit as"
          + " v/65535), or a folder of them.")
  Path pred;

  @Option(names = "--recipe", paramLabel = "RECIPE",
      description = "Bundled recipe name or .json file whose data.labelFormat decodes the truth.")
  @Nullable String recipe;

  @Option(names = "--labels", paramLabel = "FORMAT",
      description = "Label format of the truth: " + CELLS_ABOVE_ZERO + " (the default without --recipe: cell ="
          + " value > 0, the ISBI convention), instance, color-components, binary or isbi-membrane.")
  @Nullable String labels;

  @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5",
      description = "Probability threshold of the object scores (iou, dice, objectF1); default: ${DEFAULT-VALUE}."
          + " The ISBI metrics try their own thresholds.")
  double threshold;

  @Option(names = "--channel", paramLabel = "C",
      description = "Channel of the prediction holding the cell probability (default: the only channel, channel 1"
          + " of two, or 1 - channel 0 of more).")
  @Nullable Integer channel;

  @Option(names = "--objects", paramLabel = "SOURCE", defaultValue = "auto",
      description = "Where the object scores (iou, dice, objectF1) take the predicted objects from: labels (the"
          + " NAME_labels.tif beside each prediction, unet4j predict's post-processed instances), threshold (the"
          + " 4-connected components of prob > --threshold) or auto (labels where present, else threshold);"
          + " default: ${DEFAULT-VALUE}.")
  String objects;

  @Option(names = "--json", paramLabel = "OUT.json",
      description = "Also write the results as JSON, and as CSV beside it (OUT.csv).")
  @Nullable Path json;

  /** A truth file, its prediction and, where the object scores use them, its predicted instances. */
  record Pair(String name, Path truth, Path pred, @Nullable Path labels) {}

  /** The --objects choices. */
  private static final List<String> OBJECT_SOURCES = List.of("auto", "labels", "threshold");

  @Override
  public Integer call() {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new UserException("--threshold " + threshold + ": a probability threshold lies in 0..1");
    }
    if (!OBJECT_SOURCES.contains(objects)) {
      throw new UserException("--objects " + objects + ": expected " + String.join(", ", OBJECT_SOURCES));
    }
    if (channel != null && channel < 0) {
      throw new UserException("--channel " + channel + ": channels are counted from 0");
    }
    Path jsonFile = json;
    if (jsonFile != null && !jsonFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      throw new UserException("--json " + jsonFile + ": name it .json (the CSV goes beside it as .csv)");
    }
    @Nullable LabelFormat format = labelFormat();
    List<Pair> pairs = pairs();
    PrintWriter out = spec.commandLine().getOut();
    int nameWidth = Math.max(5, pairs.stream().mapToInt(p -> p.name().length()).max().orElse(5));
    out.println(header(nameWidth));
    out.flush();
    List<ImageEvaluation> evaluations = new ArrayList<>();
    for (Pair pair : pairs) {
      ImageEvaluation evaluation = evaluate(pair, format);
      evaluations.add(evaluation);
      out.println(row(pair.name(), String.valueOf(evaluation.pages()), evaluation.scores(), nameWidth));
      out.flush();
    }
    EvaluationSummary summary = EvaluationSummary.of(evaluations);
    if (pairs.size() > 1) {
      out.println(row("mean", "", summary.mean(), nameWidth));
    }
    long fromLabels = pairs.stream().filter(p -> p.labels() != null).count();
    String objectSource = fromLabels == pairs.size() ? "of the predicted instances (NAME_labels)"
        : fromLabels == 0 ? "at " + plain(threshold)
        : "of the predicted instances where present (" + fromLabels + " of " + pairs.size() + "), else at "
            + plain(threshold);
    out.printf(Locale.ROOT, "ISBI metrics at their best thresholds%s; iou, dice, objectF1 %s%n",
        jsonFile == null ? " (--json lists them)" : "", objectSource);
    if (jsonFile != null) {
      Path csv = csvBeside(jsonFile);
      write(jsonFile, json(pairs, summary, format));
      write(csv, csv(pairs, summary));
      out.println("wrote " + jsonFile + " and " + csv);
    }
    out.flush();
    return 0;
  }

  private @Nullable LabelFormat labelFormat() {
    if (labels != null && recipe != null) {
      throw new UserException("--labels and --recipe both set the truth's label format; give one of them");
    }
    if (labels != null) {
      if (labels.equals(CELLS_ABOVE_ZERO)) {
        return null;
      }
      LabelFormat format = JsonNames.constant(LabelFormat.class, labels);
      if (format == null) {
        List<String> known = new ArrayList<>(List.of(CELLS_ABOVE_ZERO));
        Arrays.stream(LabelFormat.values()).map(JsonNames::of).forEach(known::add);
        String closest = JsonNames.closest(labels, known);
        throw new UserException("--labels " + labels + ": unknown label format" + (closest == null ? "" : " (did you"
            + " mean " + closest + "?)") + "; known: " + String.join(", ", known));
      }
      return format;
    }
    if (recipe != null) {
      return RecipeArgument.load(recipe).data().labelFormat();
    }
    return null;
  }

  /** Truth files paired with predictions by name. */
  List<Pair> pairs() {
    if (!Files.exists(truth)) {
      throw new UserException("--truth " + truth + ": no such file or folder");
    }
    if (!Files.exists(pred)) {
      throw new UserException("--pred " + pred + ": no such file or folder");
    }
    if (Files.isRegularFile(truth) && Files.isRegularFile(pred)) {
      String stem = FilePattern.stem(pred);
      Path parent = pred.toAbsolutePath().getParent();
      Path labelsFile = stem.endsWith("_prob") && parent != null
          ? labels(parent, stem.substring(0, stem.length() - "_prob".length())) : null;
      return List.of(new Pair(FilePattern.stem(truth), truth, pred, labelsFile));
    }
    if (Files.isDirectory(truth) && Files.isRegularFile(pred)) {
      throw new UserException("--truth " + truth + " is a folder but --pred " + pred + " is a file; give two files"
          + " or a folder of predictions");
    }
    List<Path> truths;
    if (Files.isDirectory(truth)) {
      try {
        truths = FilePattern.resolve("--truth", truth.toString(), Path.of(""));
      } catch (IllegalArgumentException e) {
        throw new UserException(e.getMessage());
      }
    } else {
      truths = List.of(truth);
    }
    List<Pair> pairs = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Path t : truths) {
      String name = FilePattern.stem(t);
      Path p = prediction(name);
      if (p == null) {
        missing.add(t.getFileName().toString());
      } else {
        pairs.add(new Pair(name, t, p, labels(pred, name)));
      }
    }
    if (!missing.isEmpty()) {
      throw new UserException("--pred " + pred + " has no prediction for " + missing.size() + " truth image"
          + (missing.size() == 1 ? "" : "s") + " (" + missing.stream().limit(5).collect(Collectors.joining(", "))
          + (missing.size() > 5 ? ", ..." : "") + "); for a truth NAME.ext it looks for NAME_prob.tif or"
          + " NAME.tif/.tiff/.png");
    }
    return pairs;
  }

  /**
   * The predicted instances {@code NAME_labels.*} in {@code folder} that the object scores use, or
   * null when they use the threshold.
   */
  private @Nullable Path labels(Path folder, String name) {
    if (objects.equals("threshold")) {
      return null;
    }
    for (String extension : PREDICTION_EXTENSIONS) {
      Path candidate = folder.resolve(name + "_labels." + extension);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    if (objects.equals("labels")) {
      throw new UserException("--objects labels: no " + name + "_labels.tif beside the prediction in " + folder
          + "; predict with unet4j predict, which writes it, or score objects with --objects threshold");
    }
    return null;
  }

  /** The prediction for truth {@code name} in the --pred folder: NAME_prob.* first, then NAME.*. */
  private @Nullable Path prediction(String name) {
    for (String stem : List.of(name + "_prob", name)) {
      for (String extension : PREDICTION_EXTENSIONS) {
        Path candidate = pred.resolve(stem + "." + extension);
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  private ImageEvaluation evaluate(Pair pair, @Nullable LabelFormat format) {
    List<Image> truthPages = read(pair.truth());
    List<Image> predPages = read(pair.pred());
    if (truthPages.size() != predPages.size()) {
      throw new UserException("truth " + pair.truth() + " has " + pages(truthPages.size()) + " but prediction "
          + pair.pred() + " has " + pages(predPages.size()));
    }
    List<Image> labelPages = pair.labels() == null ? List.of() : read(pair.labels());
    if (pair.labels() != null && labelPages.size() != truthPages.size()) {
      throw new UserException("truth " + pair.truth() + " has " + pages(truthPages.size()) + " but instances "
          + pair.labels() + " have " + pages(labelPages.size()));
    }
    List<GroundTruth> truths = new ArrayList<>();
    List<CellProbabilities> preds = new ArrayList<>();
    List<GroundTruth> instances = new ArrayList<>();
    for (int i = 0; i < truthPages.size(); i++) {
      Image t = truthPages.get(i);
      Image p = predPages.get(i);
      String page = truthPages.size() > 1 ? " (page " + (i + 1) + ")" : "";
      if (t.width() != p.width() || t.height() != p.height()) {
        throw new UserException("truth " + pair.truth() + " is " + t.width() + "x" + t.height() + " but prediction "
            + pair.pred() + " is " + p.width() + "x" + p.height() + page);
      }
      try {
        truths.add(format == null ? GroundTruth.cellsAboveZero(t) : GroundTruth.decode(t, format));
      } catch (IllegalArgumentException e) {
        throw new UserException(pair.truth() + page + ": " + e.getMessage() + " (label format "
            + (format == null ? CELLS_ABOVE_ZERO : JsonNames.of(format)) + "; choose another with --labels)");
      }
      try {
        preds.add(channel == null ? CellProbabilities.foreground(p) : CellProbabilities.of(p, channel));
      } catch (IllegalArgumentException e) {
        throw new UserException(pair.pred() + page + ": " + e.getMessage());
      }
      if (pair.labels() != null) {
        Image l = labelPages.get(i);
        if (l.width() != t.width() || l.height() != t.height()) {
          throw new UserException("truth " + pair.truth() + " is " + t.width() + "x" + t.height() + " but instances "
              + pair.labels() + " are " + l.width() + "x" + l.height() + page);
        }
        try {
          instances.add(GroundTruth.decode(l, LabelFormat.INSTANCE));
        } catch (IllegalArgumentException e) {
          throw new UserException(pair.labels() + page + ": " + e.getMessage());
        }
      }
    }
    return Evaluator.evaluate(pair.name(), truths, preds, threshold, pair.labels() == null ? null : instances);
  }

  private static List<Image> read(Path file) {
    try {
      return ImageIo.readPages(file);
    } catch (ImageReadException e) {
      throw new UserException(e.getMessage());
    }
  }

  private static String pages(int count) {
    return count + " page" + (count == 1 ? "" : "s");
  }

  // ------------------------------------------------------------------------------------ table

  private static final String[] COLUMNS = {"pixelError", "randError", "warpingError", "vRand", "vInfo", "iou",
      "dice", "objectF1"};

  private static String header(int nameWidth) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s %5s", "image", "pages"));
    for (String column : COLUMNS) {
      line.append(String.format(Locale.ROOT, " %12s", column));
    }
    return line.toString();
  }

  private static String row(String name, String pages, Scores s, int nameWidth) {
    double[] values = {s.pixelError(), s.randError(), s.warpingError(), s.vRand(), s.vInfo(), s.iou(), s.dice(),
        s.objectF1()};
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s %5s", name, pages));
    for (int i = 0; i < values.length; i++) {
      // The warping error is a fraction of all pixels: typically 1e-4..1e-3.
      String format = i == 2 ? "%12.6f" : "%12.4f";
      line.append(Double.isNaN(values[i]) ? String.format(Locale.ROOT, " %12s", "n/a")
          : String.format(Locale.ROOT, " " + format, values[i]));
    }
    return line.toString().stripTrailing();
  }

  // ------------------------------------------------------------------------------- JSON, CSV

  private String json(List<Pair> pairs, EvaluationSummary summary, @Nullable LabelFormat format) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("truth", truth.toString());
    root.put("pred", pred.toString());
    root.put("labelFormat", format == null ? CELLS_ABOVE_ZERO : JsonNames.of(format));
    root.put("threshold", threshold);
    List<Map<String, Object>> images = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      images.add(imageJson(pairs.get(i), summary.images().get(i)));
    }
    root.put("images", images);
    Map<String, Object> mean = scoresJson(summary.mean());
    mean.put("images", summary.images().size());
    root.put("mean", mean);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the results as JSON", e);
    }
  }

  private static Map<String, Object> imageJson(Pair pair, ImageEvaluation e) {
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("name", pair.name());
    image.put("truth", pair.truth().toString());
    image.put("pred", pair.pred().toString());
    image.put("instances", pair.labels() == null ? null : pair.labels().toString());
    image.put("pages", e.pages());
    image.put("width", e.width());
    image.put("height", e.height());
    image.putAll(scoresJson(e.scores()));
    IsbiScores isbi = e.isbi();
    Map<String, Object> thresholds = new LinkedHashMap<>();
    thresholds.put("pixelError", number(isbi.pixelError().threshold()));
    thresholds.put("randError", number(isbi.randError().threshold()));
    thresholds.put("warpingError", number(isbi.warpingError().threshold()));
    thresholds.put("vRand", number(isbi.vRand().threshold()));
    thresholds.put("vInfo", number(isbi.vInfo().threshold()));
    thresholds.put("objects", number(e.objects().threshold()));
    image.put("thresholds", thresholds);
    ObjectScores objects = e.objects();
    Map<String, Object> sweep = new LinkedHashMap<>();
    for (int k = 0; k < ObjectMetrics.IOU_THRESHOLDS.size(); k++) {
      sweep.put(String.format(Locale.ROOT, "%.2f", ObjectMetrics.IOU_THRESHOLDS.get(k)), objects.objectF1Sweep().get(k));
    }
    image.put("objectF1Sweep", sweep);
    image.put("meanObjectF1", objects.meanObjectF1());
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("truth", objects.truthObjects());
    counts.put("predicted", objects.predictedObjects());
    counts.put("matched", objects.matched());
    image.put("objects", counts);
    return image;
  }

  private static Map<String, Object> scoresJson(Scores s) {
    Map<String, Object> scores = new LinkedHashMap<>();
    scores.put("pixelError", number(s.pixelError()));
    scores.put("randError", number(s.randError()));
    scores.put("warpingError", number(s.warpingError()));
    scores.put("vRand", number(s.vRand()));
    scores.put("vInfo", number(s.vInfo()));
    scores.put("iou", number(s.iou()));
    scores.put("dice", number(s.dice()));
    scores.put("objectF1", number(s.objectF1()));
    return scores;
  }

  /** JSON has no NaN: an undefined score is null. */
  private static @Nullable Double number(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static String csv(List<Pair> pairs, EvaluationSummary summary) {
    List<String> header = new ArrayList<>(List.of("name", "truth", "pred", "pages", "width", "height"));
    for (String column : COLUMNS) {
      header.add(column);
      if (!column.equals("iou") && !column.equals("dice") && !column.equals("objectF1")) {
        header.add(column + "Threshold");
      }
    }
    header.addAll(List.of("objectThreshold", "truthObjects", "predictedObjects", "matchedObjects"));
    for (double iou : ObjectMetrics.IOU_THRESHOLDS) {
      header.add(String.format(Locale.ROOT, "objectF1@%.2f", iou));
    }
    StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
    for (int i = 0; i < pairs.size(); i++) {
      Pair pair = pairs.get(i);
      ImageEvaluation e = summary.images().get(i);
      IsbiScores isbi = e.isbi();
      ObjectScores o = e.objects();
      List<String> cells = new ArrayList<>(List.of(quote(pair.name()), quote(pair.truth().toString()),
          quote(pair.pred().toString()), String.valueOf(e.pages()), String.valueOf(e.width()),
          String.valueOf(e.height())));
      for (BestScore best : List.of(isbi.pixelError(), isbi.randError(), isbi.warpingError(), isbi.vRand(),
          isbi.vInfo())) {
        cells.add(csvNumber(best.value()));
        cells.add(csvNumber(best.threshold()));
      }
      cells.addAll(List.of(csvNumber(o.iou()), csvNumber(o.dice()), csvNumber(o.objectF1()),
          csvNumber(o.threshold()), String.valueOf(o.truthObjects()), String.valueOf(o.predictedObjects()),
          String.valueOf(o.matched())));
      o.objectF1Sweep().forEach(f1 -> cells.add(csvNumber(f1)));
      text.append(String.join(",", cells)).append('\n');
    }
    Scores mean = summary.mean();
    List<String> cells = new ArrayList<>(List.of("mean", "", "", "", "", ""));
    for (double value : new double[] {mean.pixelError(), mean.randError(), mean.warpingError(), mean.vRand(),
        mean.vInfo()}) {
      cells.add(csvNumber(value));
      cells.add("");
    }
    cells.addAll(List.of(csvNumber(mean.iou()), csvNumber(mean.dice()), csvNumber(mean.objectF1())));
    while (cells.size() < header.size()) {
      cells.add("");
    }
    text.append(String.join(",", cells)).append('\n');
    return text.toString();
  }

  private static String csvNumber(double value) {
    return Double.isNaN(value) ? "" : Double.toString(value);
  }

  private static String quote(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  private static Path csvBeside(Path jsonFile) {
    String name = jsonFile.getFileName().toString();
    return jsonFile.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".csv");
  }

  /** Complete or absent, as every output ({@link AtomicFiles}): a full disk leaves no 0-byte file. */
  private static void write(Path file, String text) {
    AtomicFiles.writeString(file, text);
  }

  private static String plain(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
