package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Evaluated images and the mean of their scores ({@link Scores#mean}). */
public record EvaluationSummary(ImmutableList<ImageEvaluation> images, Scores mean) {

  public EvaluationSummary {
    checkNotNull(images, "images");
    checkNotNull(mean, "mean");
    checkArgument(!images.isEmpty(), "a summary of no images");
  }

  public static EvaluationSummary of(List<ImageEvaluation> images) {
    checkNotNull(images, "images");
    checkArgument(!images.isEmpty(), "a summary of no images");
    return new EvaluationSummary(ImmutableList.copyOf(images),
        Scores.mean(images.stream().map(ImageEvaluation::scores).toList()));
  }

  /**
   * The per-class scores of the images scored against index labels averaged over them (for each
   * class, {@link ClassScores#mean} over the images that have it), or null when none was.
   */
  public @Nullable ClassEvaluation classMean() {
    List<ClassEvaluation> scored = images.stream().map(ImageEvaluation::classes).filter(Objects::nonNull).toList();
    if (scored.isEmpty()) {
      return null;
    }
    int classes = scored.stream().mapToInt(c -> c.classes().size()).max().orElseThrow();
    ImmutableList.Builder<ClassScores> means = ImmutableList.builder();
    for (int k = 0; k < classes; k++) {
      int label = k;
      means.add(ClassScores.mean(scored.stream().filter(c -> c.classes().size() > label)
          .map(c -> c.classes().get(label)).toList()));
    }
    return new ClassEvaluation(scored.get(0).ignoreLabel(), scored.stream().mapToLong(ClassEvaluation::ignoredPixels)
        .sum(), means.build());
  }
}
