package org.unet4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.eval.ClassEvaluation;
import org.unet4j.recipes.eval.ClassScores;
import org.unet4j.recipes.eval.EvaluationInputException;
import org.unet4j.recipes.eval.EvaluationReport;
import org.unet4j.recipes.eval.EvaluationSummary;
import org.unet4j.recipes.eval.FileEvaluation;
import org.unet4j.recipes.eval.ImageEvaluation;
import org.unet4j.recipes.eval.ObjectSource;
import org.unet4j.recipes.eval.Scores;
import org.unet4j.recipes.eval.StackScoring;
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
        + " scored slice by slice as the challenge does, or each as one volume with --volume (3D nets).",
        "With --labels index the truth holds classes (pixel value = class) and every class is scored: IoU, Dice and"
        + " object F1 per class and their mean over the foreground classes."})
final class EvaluateCommand implements Callable<Integer> {
  /** The label format written for the challenge's own convention: cell = value > 0. */
  static final String CELLS_ABOVE_ZERO = FileEvaluation.CELLS_ABOVE_ZERO;

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
          + " value > 0, the ISBI convention), instance, color-components, binary, isbi-membrane, or "
          + FileEvaluation.INDEX + " (pixel value = class, scored per class against the NAME_classes.tif that"
          + " prediction writes for 3 or more classes).")
  @Nullable String labels;

  @Option(names = "--ignore-label", paramLabel = "V",
      description = "With --labels " + FileEvaluation.INDEX + " or --volume: the truth value whose pixels (voxels)"
          + " every score leaves out, such as 255; default: none (with --recipe: its data.ignoreLabel for index"
          + " labels and 3D nets).")
  @Nullable Integer ignoreLabel;

  @Option(names = "--threshold", paramLabel = "T", defaultValue = "0.5",
      description = "Probability threshold of the object scores (iou, dice, objectF1, ap, seg); default:"
          + " ${DEFAULT-VALUE}. The ISBI metrics try their own thresholds.")
  double threshold;

  @Option(names = "--channel", paramLabel = "C",
      description = "Channel of the prediction holding the cell probability (default: the only channel, channel 1"
          + " of two, or 1 - channel 0 of more).")
  @Nullable Integer channel;

  @Option(names = "--objects", paramLabel = "SOURCE", defaultValue = "auto",
      description = "Where the object scores (iou, dice, objectF1, ap, seg) take the predicted objects from: labels"
          + " (the NAME_labels.tif beside each prediction, unet4j predict's post-processed instances), threshold (the"
          + " 4-connected components of prob > --threshold) or auto (labels where present, else threshold);"
          + " default: ${DEFAULT-VALUE}.")
  String objects;

  @Option(names = "--probability-of", paramLabel = "CLASS",
      description = "What the predictions hold: foreground (cell) or background (for ISBI 2012: membrane)"
          + " probability; default: the --recipe's inference.probabilityOf, else foreground.")
  @Nullable String probabilityOf;

  @Option(names = "--volume",
      description = "Score each stack as one volume (6-connected objects through the pages, counts over all voxels;"
          + " index labels per class),"
          + " as a 3D net's predictions; default: with --recipe, when its model.dimensions is 3.")
  boolean volume;

  @Option(names = "--json", paramLabel = "OUT.json",
      description = "Also write the results as JSON, and as CSV beside it (OUT.csv).")
  @Nullable Path json;

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
    boolean index = FileEvaluation.INDEX.equals(labels);
    if (ignoreLabel != null && recipe != null) {
      throw new UserException("--ignore-label " + ignoreLabel + ": the --recipe's data.ignoreLabel is the ignore"
          + " value; give one of them");
    }
    if (ignoreLabel != null && !index && !volume) {
      throw new UserException("--ignore-label " + ignoreLabel + ": only index labels and volumes have an ignore"
          + " value (stacks of cells scored page by page count every pixel); add --labels " + FileEvaluation.INDEX
          + " or --volume");
    }
    if (index && recipe != null) {
      throw new UserException("--labels and --recipe both set the truth's label format; give one of them");
    }
    FileEvaluation base = index ? FileEvaluation.ofClasses(-1)
        : recipe != null && labels == null ? FileEvaluation.of(RecipeArgument.load(recipe))
        : FileEvaluation.of(labelFormat());
    FileEvaluation evaluation = base.threshold(threshold)
        .objects(ObjectSource.valueOf(objects.toUpperCase(Locale.ROOT))).probabilityOf(probabilityOf());
    evaluation = volume ? evaluation.stacks(StackScoring.VOLUME) : evaluation;
    evaluation = ignoreLabel != null ? evaluation.ignoreLabel(ignoreLabel) : evaluation;
    if (channel != null) {
      evaluation = evaluation.channel(channel);
    }
    List<FileEvaluation.Pair> pairs = pairs(evaluation);
    PrintWriter out = spec.commandLine().getOut();
    int nameWidth = Math.max(5, pairs.stream().mapToInt(p -> p.name().length()).max().orElse(5));
    out.println(header(nameWidth));
    out.flush();
    List<ImageEvaluation> evaluations = new ArrayList<>();
    for (FileEvaluation.Pair pair : pairs) {
      ImageEvaluation e = evaluate(evaluation, pair);
      evaluations.add(e);
      out.println(row(pair.name(), String.valueOf(e.pages()), e.scores(), nameWidth));
      out.flush();
    }
    EvaluationReport report = new EvaluationReport(evaluation, truth, pred, pairs, EvaluationSummary.of(evaluations));
    if (pairs.size() > 1) {
      out.println(row("mean", "", report.summary().mean(), nameWidth));
    }
    ClassEvaluation classes = report.summary().classMean();
    if (classes != null) {
      printClasses(out, classes, pairs.size());
      out.printf(Locale.ROOT, "iou, dice, objectF1, ap, seg of the foreground (every class but 0) %s; %s%n",
          report.objectSource(), report.isbiNote());
    } else {
      out.printf(Locale.ROOT, "ISBI metrics at their best thresholds%s; iou, dice, objectF1, ap, seg %s%s%n",
          jsonFile == null ? " (--json lists them)" : "", report.objectSource(),
          report.isbiNote().isEmpty() ? "" : "; " + report.isbiNote());
    }
    if (jsonFile != null) {
      Path csv = csvBeside(jsonFile);
      write(jsonFile, report.json());
      write(csv, report.csv());
      out.println("wrote " + jsonFile + " and " + csv);
    }
    out.flush();
    return 0;
  }

  /** What the predictions hold: the option, else the recipe's {@code inference.probabilityOf}, else foreground. */
  private ProbabilityOf probabilityOf() {
    if (probabilityOf != null) {
      ProbabilityOf of = JsonNames.constant(ProbabilityOf.class, probabilityOf);
      if (of == null) {
        throw new UserException("--probability-of " + probabilityOf + ": expected foreground or background");
      }
      return of;
    }
    return recipe != null ? RecipeArgument.load(recipe).inference().probabilityOf() : ProbabilityOf.FOREGROUND;
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

  /** The pairs of the library's evaluation, its input errors given the name of this command's option. */
  private List<FileEvaluation.Pair> pairs(FileEvaluation evaluation) {
    try {
      return evaluation.pairs(truth, pred);
    } catch (EvaluationInputException e) {
      throw new UserException(switch (e.input()) {
        case TRUTH -> "--truth " + e.getMessage();
        case PREDICTION -> "--pred " + e.getMessage();
        case OBJECTS -> "--objects " + e.getMessage() + ", or score objects with --objects threshold";
      });
    }
  }

  private static ImageEvaluation evaluate(FileEvaluation evaluation, FileEvaluation.Pair pair) {
    try {
      return evaluation.evaluate(pair);
    } catch (FileEvaluation.TruthFormatException e) {
      String message = e.getMessage();
      throw new UserException(message.substring(0, message.length() - 1) + "; choose another with --labels)");
    }
  }

  // ------------------------------------------------------------------------------------ table

  /** The per-class table: every class, then the mean of the foreground classes. */
  private static void printClasses(PrintWriter out, ClassEvaluation classes, int images) {
    out.printf(Locale.ROOT, "per class%s:%n%-6s %8s %8s %9s%n", images > 1 ? " (mean of the images)" : "", "class",
        "iou", "dice", "objectF1");
    for (ClassScores c : classes.classes()) {
      out.println(classRow(String.valueOf(c.label()), c.iou(), c.dice(), c.objectF1()));
    }
    out.println(classRow("mean", classes.meanIou(), classes.meanDice(), classes.meanObjectF1())
        + "   (classes 1.." + (classes.classes().size() - 1) + ")");
  }

  private static String classRow(String name, double iou, double dice, double objectF1) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-6s", name));
    int[] widths = {8, 8, 9};
    double[] values = {iou, dice, objectF1};
    for (int i = 0; i < values.length; i++) {
      line.append(Double.isNaN(values[i]) ? String.format(Locale.ROOT, " %" + widths[i] + "s", "n/a")
          : String.format(Locale.ROOT, " %" + widths[i] + ".4f", values[i]));
    }
    return line.toString();
  }

  private static String header(int nameWidth) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s %5s", "image", "pages"));
    for (String column : EvaluationReport.COLUMNS) {
      line.append(String.format(Locale.ROOT, " %12s", column));
    }
    return line.toString();
  }

  private static String row(String name, String pages, Scores s, int nameWidth) {
    double[] values = EvaluationReport.values(s);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + nameWidth + "s %5s", name, pages));
    for (int i = 0; i < values.length; i++) {
      // The warping error is a fraction of all pixels: typically 1e-4..1e-3.
      String format = i == 2 ? "%12.6f" : "%12.4f";
      line.append(Double.isNaN(values[i]) ? String.format(Locale.ROOT, " %12s", "n/a")
          : String.format(Locale.ROOT, " " + format, values[i]));
    }
    return line.toString().stripTrailing();
  }

  private static Path csvBeside(Path jsonFile) {
    String name = jsonFile.getFileName().toString();
    return jsonFile.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".csv");
  }

  /** Complete or absent, as every output ({@link AtomicFiles}): a full disk leaves no 0-byte file. */
  private static void write(Path file, String text) {
    AtomicFiles.writeString(file, text);
  }
}
