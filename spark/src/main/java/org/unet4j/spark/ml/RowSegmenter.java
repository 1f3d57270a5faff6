package org.unet4j.spark.ml;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.infer.Predictor;
import org.unet4j.recipes.infer.ProbabilityMap;
import org.unet4j.spark.InferenceOptions;
import org.unet4j.spark.PredictorCache;

/**
 * What {@link UNetSegmenter} does with one row on an executor: read the image, predict it with the
 * JVM's predictor for the model ({@link PredictorCache}, opened by the first row and shared by the
 * executor's later and concurrent tasks) and cut its instances, exactly as {@code Model.predict}
 * does. An image that cannot be used (unreadable, a stack, the wrong channels) fills the row's
 * {@code error} and the job goes on; a model that cannot be opened fails the task, since no row
 * could succeed.
 */
final class RowSegmenter implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final InferenceOptions inference;
  private final boolean probabilities;
  private final String column;

  /**
   * @param model the model's absolute path, the same on every executor
   * @param column the input column, which names a row's bytes in its errors
   */
  RowSegmenter(String model, InferenceOptions inference, boolean probabilities, String column) {
    this.model = checkNotNull(model, "model");
    this.inference = checkNotNull(inference, "inference");
    this.probabilities = probabilities;
    this.column = checkNotNull(column, "column");
  }

  /** The segmentation of the image file at {@code path} (local, or a {@code file:} URI). */
  @Nullable Row ofPath(@Nullable String path) {
    if (path == null) {
      return null;
    }
    Predictor predictor = PredictorCache.get(model, inference);
    try {
      Path file = localFile(path);
      return segment(predictor, single(ImageIo.readPages(file), file, predictor));
    } catch (InvalidInputException e) {
      return failed(e);
    }
  }

  /** The segmentation of the image file whose bytes are {@code content}. */
  @Nullable Row ofContent(byte @Nullable [] content) {
    if (content == null) {
      return null;
    }
    Predictor predictor = PredictorCache.get(model, inference);
    try {
      Path origin = Path.of(column);
      return segment(predictor, single(ImageIo.readPages(content, origin), origin, predictor));
    } catch (InvalidInputException e) {
      return failed(e);
    }
  }

  private Row segment(Predictor predictor, Image image) {
    ProbabilityMap map = predictor.postProcessed(predictor.predict(image));
    InstanceLabels instances = predictor.labels(map);
    int[] labels = instances.toArray();
    long inside = 0;
    for (int label : labels) {
      if (label != 0) {
        inside++;
      }
    }
    return RowFactory.create(image.width(), image.height(), instances.cellCount(), (double) inside / labels.length,
        labels, probabilities ? map.foreground() : null, null);
  }

  private static Row failed(InvalidInputException e) {
    return RowFactory.create(null, null, null, null, null, null, e.getMessage());
  }

  /** The one page of an image, in the model's channels. */
  private static Image single(List<Image> pages, Path origin, Predictor predictor) {
    if (pages.size() > 1) {
      throw new DataException(origin + " has " + pages.size() + " pages; the stage segments one image per row:"
          + " give one page per row, or predict stacks with SparkPrediction");
    }
    Image image = pages.get(0);
    int expected = predictor.recipe().model().inputChannels();
    if (image.channels() != expected) {
      throw new DataException(origin + " has " + image.channels() + " channel(s) but the model reads " + expected
          + " (model.inputChannels)");
    }
    return image;
  }

  /** A path as given, or a {@code file:} URI such as {@code binaryFile} writes in its path column. */
  private static Path localFile(String path) {
    if (path.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        return Path.of(URI.create(path));
      } catch (IllegalArgumentException e) {
        throw new DataException(path + " is not a file URI such as file:/data/a.tif: " + e.getMessage());
      }
    }
    int colon = path.indexOf("://");
    if (colon > 0) {
      throw new DataException(path + " is not on a local file system (" + path.substring(0, colon).toLowerCase(
          Locale.ROOT) + "); read such images with spark.read().format(\"binaryFile\") and give the stage their"
          + " content column");
    }
    return Path.of(path);
  }
}
