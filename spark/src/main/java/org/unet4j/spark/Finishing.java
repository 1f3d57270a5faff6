package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.eval.FileEvaluation;
import org.unet4j.recipes.infer.ObjectFiles;
import org.unet4j.recipes.infer.PredictionFiles;
import org.unet4j.recipes.infer.PredictedImage;
import org.unet4j.recipes.infer.Predictor;
import org.unet4j.recipes.infer.ProbabilityMap;

/**
 * The last step for one image, on an executor: assembling the outputs of an image that was split
 * into units, and evaluating the prediction when there is ground truth.
 *
 * @param survey the image
 * @param status predicted or skipped
 * @param stats the statistics of its outputs; null when its parts are still to be assembled
 * @param seconds the time spent predicting it so far
 */
record Finishing(ImageSurvey survey, ImageRow.Status status, @Nullable ImageStats stats, double seconds)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  Finishing {
    checkNotNull(survey, "survey");
    checkNotNull(status, "status");
  }

  boolean assembles() {
    return stats == null;
  }

  /** The image's row of the results table. */
  ImageRow run(BatchSettings settings, double threshold, JobCounters counters) {
    long began = System.nanoTime();
    ImageStats done = stats;
    double spent = seconds;
    if (done == null) {
      try {
        done = assemble(settings);
      } catch (RuntimeException e) {
        counters.imageDone(false);
        return ImageRow.failed(survey.image(), survey.firstPage(), survey.pages().size(),
            seconds + ImageSurvey.since(began), UnitResult.reason(e));
      }
      counters.imageDone(true);
      spent += ImageSurvey.since(began);
    }
    String error = null;
    ImageScores scores = null;
    Path truth = settings.truthFolder();
    if (truth != null) {
      try {
        scores = evaluate(settings.outFolder(), truth, settings.truthFormat(), threshold);
      } catch (RuntimeException e) {
        error = "evaluation: " + UnitResult.reason(e);
      }
      counters.imageEvaluated();
    }
    return ImageRow.done(survey, status, done, spent, error, scores);
  }

  /**
   * Writes the outputs of an image from its part files exactly as {@code unet4j predict} writes
   * them: the same labelling of the same probabilities, through the same writers, the per-object
   * outputs included.
   */
  private ImageStats assemble(BatchSettings settings) {
    InputImage image = survey.image();
    Predictor predictor = PredictorCache.get(settings.model(), settings.inference());
    if (predictor.predictsVolumes()) {
      PartFiles parts = new PartFiles(settings.outFolder(), image.name());
      PredictedImage done = predictor.volumes().assemble(image.file(), image.name(), settings.outFolder(),
          parts.planeParts(), settings.objectOutputs());
      parts.delete();
      return new ImageStats(done.objects(), done.foregroundFraction());
    }
    List<Image> pages = ImageIo.readPages(image.file());
    PartFiles parts = new PartFiles(settings.outFolder(), image.name());
    List<ProbabilityMap> maps = new ArrayList<>(pages.size());
    List<InstanceLabels> labels = new ArrayList<>(pages.size());
    for (int page = 0; page < pages.size(); page++) {
      Image input = pages.get(page);
      float[] foreground = parts.foreground(page, input.width(), input.height());
      // The foreground alone is a one-class map: it writes and labels as the full map does.
      ProbabilityMap map = predictor.postProcessed(new ProbabilityMap(input.width(), input.height(), 1, foreground));
      maps.add(map);
      labels.add(predictor.labels(map));
    }
    PredictionFiles files = PredictionFiles.of(settings.outFolder(), image.name(), pages.size());
    Calibration calibration = Calibration.read(image.file());
    files.write(pages, maps, labels, predictor.inference().probabilityOf(), calibration);
    ObjectFiles.write(image.file(), files, settings.objectOutputs(), predictor.inference().probabilityOf(),
        calibration);
    parts.delete();
    long objects = 0;
    long foreground = 0;
    long pixels = 0;
    for (InstanceLabels l : labels) {
      objects += l.cellCount();
      for (int value : l.toArray()) {
        if (value != 0) {
          foreground++;
        }
      }
      pixels += (long) l.width() * l.height();
    }
    return new ImageStats(objects, (double) foreground / pixels);
  }

  /**
   * Scores {@code NAME_prob.tif} and {@code NAME_labels.tif} against the truth with the library's
   * file evaluation, the one {@code unet4j evaluate} uses: the object scores count the predicted
   * instances, post-processing included.
   */
  private ImageScores evaluate(Path out, Path truthFolder, @Nullable LabelFormat format, double threshold) {
    String name = survey.image().name();
    Path truth = FileEvaluation.firstExisting(truthFolder, name);
    if (truth == null) {
      throw new DataException("no truth image " + name + "." + String.join("/.", FileEvaluation.EXTENSIONS)
          + " in " + truthFolder);
    }
    PredictionFiles files = PredictionFiles.of(out, name, survey.pages().size());
    FileEvaluation.Pair pair = new FileEvaluation.Pair(name, truth, files.probabilities(), files.labels());
    return ImageScores.of(FileEvaluation.of(format).threshold(threshold).evaluate(pair).scores());
  }
}
