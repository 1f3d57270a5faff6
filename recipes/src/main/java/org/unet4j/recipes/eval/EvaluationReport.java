package org.unet4j.recipes.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The scores of a {@link FileEvaluation}: every pair, their mean, and the same as JSON (with the
 * best thresholds, the object F1 and average precision sweeps and the object counts) and as CSV,
 * one row per image and one for the mean.
 */
public record EvaluationReport(FileEvaluation evaluation, Path truth, Path prediction,
    List<FileEvaluation.Pair> pairs, EvaluationSummary summary) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The score columns of the table, the JSON and the CSV, in order. */
  public static final List<String> COLUMNS = List.of("pixelError", "randError", "warpingError", "vRand", "vInfo",
      "iou", "dice", "objectF1", "ap", "seg");

  /** The columns scored at their own best threshold, which the CSV gives beside each. */
  private static final List<String> ISBI_COLUMNS = COLUMNS.subList(0, 5);

  public EvaluationReport {
    pairs = List.copyOf(pairs);
    if (pairs.size() != summary.images().size()) {
      throw new IllegalArgumentException(pairs.size() + " pairs but " + summary.images().size() + " evaluations");
    }
  }

  /** Where the object scores took the predicted objects from, in words. */
  public String objectSource() {
    long fromLabels = pairs.stream().filter(p -> p.instances() != null).count();
    String threshold = plain(evaluation.threshold());
    return fromLabels == pairs.size() ? "of the predicted instances (NAME_labels)"
        : fromLabels == 0 ? "at " + threshold
        : "of the predicted instances where present (" + fromLabels + " of " + pairs.size() + "), else at "
            + threshold;
  }

  /** The report as JSON text. */
  public String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("truth", truth.toString());
    root.put("pred", prediction.toString());
    root.put("labelFormat", evaluation.truthFormatName());
    root.put("threshold", evaluation.threshold());
    if (evaluation.indexLabels() || evaluation.ignoreLabel() >= 0) {
      root.put("ignoreLabel", evaluation.ignoreLabel());
    }
    if (evaluation.stacks() == StackScoring.VOLUME) {
      root.put("stacks", "volume");
    }
    List<Map<String, Object>> images = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      images.add(imageJson(pairs.get(i), summary.images().get(i)));
    }
    root.put("images", images);
    Map<String, Object> mean = scoresJson(summary.mean());
    mean.put("images", summary.images().size());
    ClassEvaluation classMean = summary.classMean();
    if (classMean != null) {
      mean.put("classes", classesJson(classMean));
    }
    root.put("mean", mean);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the results as JSON", e);
    }
  }

  private static Map<String, Object> imageJson(FileEvaluation.Pair pair, ImageEvaluation e) {
    Map<String, Object> image = new LinkedHashMap<>();
    image.put("name", pair.name());
    image.put("truth", pair.truth().toString());
    image.put("pred", pair.prediction().toString());
    image.put("instances", pair.instances() == null ? null : pair.instances().toString());
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
    image.put("objectF1Sweep", sweepJson(objects.objectF1Sweep()));
    image.put("meanObjectF1", objects.meanObjectF1());
    image.put("apSweep", sweepJson(objects.apSweep()));
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("truth", objects.truthObjects());
    counts.put("predicted", objects.predictedObjects());
    counts.put("matched", objects.matched());
    image.put("objects", counts);
    if (e.classes() != null) {
      image.put("classes", classesJson(e.classes()));
    }
    return image;
  }

  /** Per-class scores, with their means over the foreground classes. */
  private static Map<String, Object> classesJson(ClassEvaluation classes) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("ignoredPixels", classes.ignoredPixels());
    json.put("meanIou", number(classes.meanIou()));
    json.put("meanDice", number(classes.meanDice()));
    json.put("meanObjectF1", number(classes.meanObjectF1()));
    List<Map<String, Object>> perClass = new ArrayList<>();
    for (ClassScores c : classes.classes()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("class", c.label());
      one.put("iou", number(c.iou()));
      one.put("dice", number(c.dice()));
      one.put("objectF1", number(c.objectF1()));
      one.put("truthPixels", c.truthPixels());
      one.put("predictedPixels", c.predictedPixels());
      one.put("truthObjects", c.truthObjects());
      one.put("predictedObjects", c.predictedObjects());
      one.put("matchedObjects", c.matched());
      perClass.add(one);
    }
    json.put("perClass", perClass);
    return json;
  }

  /**
   * What the ISBI columns mean here, in words: empty for a binary truth scored page by page; for
   * index labels, that they are not computed; for volumes, how they are scored.
   */
  public String isbiNote() {
    if (evaluation.indexLabels()) {
      return "the ISBI metrics score binary cell/membrane maps and are not computed for index labels, which are"
          + " scored per class" + (evaluation.stacks() == StackScoring.VOLUME
          ? "; each stack scored as one volume (6-connected objects)" : "");
    }
    return evaluation.stacks() == StackScoring.VOLUME ? "each stack scored as one volume (6-connected objects);"
        + " the warping error is not defined for volumes" : "";
  }

  /** A score at each IoU threshold, keyed "0.50" .. "0.95". */
  private static Map<String, Object> sweepJson(List<Double> sweep) {
    Map<String, Object> byThreshold = new LinkedHashMap<>();
    for (int k = 0; k < ObjectMetrics.IOU_THRESHOLDS.size(); k++) {
      byThreshold.put(String.format(Locale.ROOT, "%.2f", ObjectMetrics.IOU_THRESHOLDS.get(k)), sweep.get(k));
    }
    return byThreshold;
  }

  private static Map<String, Object> scoresJson(Scores s) {
    double[] values = values(s);
    Map<String, Object> scores = new LinkedHashMap<>();
    for (int i = 0; i < COLUMNS.size(); i++) {
      scores.put(COLUMNS.get(i), number(values[i]));
    }
    return scores;
  }

  /** The scores in the order of {@link #COLUMNS}. */
  public static double[] values(Scores s) {
    return new double[] {s.pixelError(), s.randError(), s.warpingError(), s.vRand(), s.vInfo(), s.iou(), s.dice(),
        s.objectF1(), s.ap(), s.seg()};
  }

  /** One score by its column name ({@code iou}, {@code objectF1}, ...; see {@link #COLUMNS}). */
  public static double value(Scores s, String column) {
    int i = COLUMNS.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("no score " + column + "; the scores are " + COLUMNS);
    }
    return values(s)[i];
  }

  /** JSON has no NaN: an undefined score is null. */
  private static @Nullable Double number(double value) {
    return Double.isNaN(value) ? null : value;
  }

  /** The report as CSV text. */
  public String csv() {
    List<String> header = new ArrayList<>(List.of("name", "truth", "pred", "pages", "width", "height"));
    for (String column : COLUMNS) {
      header.add(column);
      if (ISBI_COLUMNS.contains(column)) {
        header.add(column + "Threshold");
      }
    }
    header.addAll(List.of("objectThreshold", "truthObjects", "predictedObjects", "matchedObjects"));
    for (String sweep : List.of("objectF1", "ap")) {
      for (double iou : ObjectMetrics.IOU_THRESHOLDS) {
        header.add(String.format(Locale.ROOT, "%s@%.2f", sweep, iou));
      }
    }
    ClassEvaluation classMean = summary.classMean();
    int classes = classMean == null ? 0 : classMean.classes().size();
    if (classMean != null) {
      header.addAll(List.of("meanClassIou", "meanClassDice", "meanClassObjectF1"));
      for (int k = 0; k < classes; k++) {
        header.addAll(List.of("iou@class" + k, "dice@class" + k, "objectF1@class" + k));
      }
    }
    StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
    for (int i = 0; i < pairs.size(); i++) {
      FileEvaluation.Pair pair = pairs.get(i);
      ImageEvaluation e = summary.images().get(i);
      IsbiScores isbi = e.isbi();
      ObjectScores o = e.objects();
      List<String> cells = new ArrayList<>(List.of(quote(pair.name()), quote(pair.truth().toString()),
          quote(pair.prediction().toString()), String.valueOf(e.pages()), String.valueOf(e.width()),
          String.valueOf(e.height())));
      for (BestScore best : List.of(isbi.pixelError(), isbi.randError(), isbi.warpingError(), isbi.vRand(),
          isbi.vInfo())) {
        cells.add(csvNumber(best.value()));
        cells.add(csvNumber(best.threshold()));
      }
      cells.addAll(List.of(csvNumber(o.iou()), csvNumber(o.dice()), csvNumber(o.objectF1()),
          csvNumber(o.ap()), csvNumber(o.seg()), csvNumber(o.threshold()),
          String.valueOf(o.truthObjects()), String.valueOf(o.predictedObjects()), String.valueOf(o.matched())));
      o.objectF1Sweep().forEach(f1 -> cells.add(csvNumber(f1)));
      o.apSweep().forEach(ap -> cells.add(csvNumber(ap)));
      if (classMean != null) {
        classCells(e.classes(), classes, cells);
      }
      text.append(String.join(",", cells)).append('\n');
    }
    Scores mean = summary.mean();
    List<String> cells = new ArrayList<>(List.of("mean", "", "", "", "", ""));
    for (double value : new double[] {mean.pixelError(), mean.randError(), mean.warpingError(), mean.vRand(),
        mean.vInfo()}) {
      cells.add(csvNumber(value));
      cells.add("");
    }
    cells.addAll(List.of(csvNumber(mean.iou()), csvNumber(mean.dice()), csvNumber(mean.objectF1()),
        csvNumber(mean.ap()), csvNumber(mean.seg())));
    while (cells.size() < header.size() - (classMean == null ? 0 : 3 + 3 * classes)) {
      cells.add("");
    }
    if (classMean != null) {
      classCells(classMean, classes, cells);
    }
    text.append(String.join(",", cells)).append('\n');
    return text.toString();
  }

  /** The per-class CSV cells of {@code classes} (empty where absent), padded to {@code count} classes. */
  private static void classCells(@Nullable ClassEvaluation scores, int count, List<String> cells) {
    cells.addAll(scores == null ? List.of("", "", "") : List.of(csvNumber(scores.meanIou()),
        csvNumber(scores.meanDice()), csvNumber(scores.meanObjectF1())));
    for (int k = 0; k < count; k++) {
      ClassScores c = scores != null && k < scores.classes().size() ? scores.classes().get(k) : null;
      cells.addAll(c == null ? List.of("", "", "") : List.of(csvNumber(c.iou()), csvNumber(c.dice()),
          csvNumber(c.objectF1())));
    }
  }

  private static String csvNumber(double value) {
    return Double.isNaN(value) ? "" : Double.toString(value);
  }

  private static String quote(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  private static String plain(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
