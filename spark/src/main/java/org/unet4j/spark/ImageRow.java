package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One row of the results table: one input image.
 *
 * @param name the output name ({@code NAME_prob.tif}, ...)
 * @param input the input file
 * @param width the width of its first page; null when it could not be read
 * @param height the height of its first page; null when it could not be read
 * @param pages its page count; null when it could not be read
 * @param objects the objects found over all pages; null when it failed
 * @param foregroundFraction the share of pixels inside an object, 0..1; null when it failed
 * @param seconds the time spent on it in this run (for a skipped image: checking its outputs)
 * @param status predicted, skipped (complete outputs from an earlier run) or failed
 * @param error why it failed, or why it could not be evaluated; null otherwise
 * @param scores its evaluation against the ground truth; null without truth or when it failed
 */
public record ImageRow(String name, String input, @Nullable Integer width, @Nullable Integer height,
    @Nullable Integer pages, @Nullable Long objects, @Nullable Double foregroundFraction, double seconds,
    Status status, @Nullable String error, @Nullable ImageScores scores) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What became of an image. */
  public enum Status {
    /** Predicted in this run. */
    PREDICTED,
    /** Its outputs were complete from an earlier run. */
    SKIPPED,
    /** It could not be read or predicted; the error says why. */
    FAILED;

    /** The name in the table. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ImageRow {
    checkNotNull(name, "name");
    checkNotNull(input, "input");
    checkNotNull(status, "status");
    checkArgument(status != Status.FAILED || error != null, "a failed row says why");
    checkArgument(status == Status.FAILED || (objects != null && foregroundFraction != null),
        "a row that did not fail has its objects and foreground");
  }

  static ImageRow failed(InputImage image, @Nullable PageSize first, @Nullable Integer pages, double seconds,
      String error) {
    return new ImageRow(image.name(), image.path(), first == null ? null : first.width(),
        first == null ? null : first.height(), pages, null, null, seconds, Status.FAILED, error, null);
  }

  static ImageRow done(ImageSurvey survey, Status status, ImageStats stats, double seconds, @Nullable String error,
      @Nullable ImageScores scores) {
    PageSize first = survey.firstPage();
    return new ImageRow(survey.image().name(), survey.image().path(), first.width(), first.height(),
        survey.pages().size(), stats.objects(), stats.foregroundFraction(), seconds, status, error, scores);
  }
}
