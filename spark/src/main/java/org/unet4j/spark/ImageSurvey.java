package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.data.ImageReadException;

/**
 * What the first pass over the inputs found out about one image, on an executor: its page sizes
 * from the headers, and whether it is unreadable, still to predict, or already predicted
 * completely by an earlier run.
 *
 * @param image the input
 * @param state what is to be done with it
 * @param pages the size of each page; empty when the image is unreadable
 * @param error why the image is unreadable; null otherwise
 * @param stats the statistics of the existing outputs of a complete image; null otherwise
 * @param seconds the time the survey took
 */
public record ImageSurvey(InputImage image, State state, ImmutableList<PageSize> pages, @Nullable String error,
    @Nullable ImageStats stats, double seconds) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a survey found. */
  public enum State {
    /** The image is to be predicted. */
    PENDING,
    /** Its outputs are complete and valid: skipped. */
    COMPLETE,
    /** It cannot be read. */
    UNREADABLE
  }

  public ImageSurvey {
    checkNotNull(image, "image");
    checkNotNull(state, "state");
    checkNotNull(pages, "pages");
    checkArgument((state == State.UNREADABLE) == (error != null), "an error is given exactly for unreadable images");
    checkArgument((state == State.COMPLETE) == (stats != null), "stats are given exactly for complete images");
    checkArgument(state == State.UNREADABLE || !pages.isEmpty(), "a readable image has pages");
  }

  /**
   * Reads the headers of {@code image} and, unless {@code overwrite}, checks its outputs in the
   * settings' output folder.
   */
  static ImageSurvey of(InputImage image, BatchSettings settings) {
    long began = System.nanoTime();
    ImmutableList<PageSize> pages;
    try {
      pages = ImageHeaders.pages(image.file());
    } catch (ImageReadException e) {
      return new ImageSurvey(image, State.UNREADABLE, ImmutableList.of(), e.getMessage(), null, since(began));
    }
    if (!settings.overwrite()) {
      Optional<ImageStats> done = CompleteOutputs.check(settings.outFolder(), image.name(), pages,
          settings.objectOutputs());
      if (done.isPresent()) {
        return new ImageSurvey(image, State.COMPLETE, pages, null, done.get(), since(began));
      }
    }
    return new ImageSurvey(image, State.PENDING, pages, null, null, since(began));
  }

  /** The first page's size: what the table reports, as {@code unet4j predict} does. */
  public PageSize firstPage() {
    checkArgument(!pages.isEmpty(), "%s was not read", image.path());
    return pages.get(0);
  }

  static double since(long began) {
    return (System.nanoTime() - began) / 1e9;
  }

  /** The surveys of {@code state}. */
  static List<ImageSurvey> inState(List<ImageSurvey> surveys, State state) {
    return surveys.stream().filter(s -> s.state() == state).toList();
  }
}
