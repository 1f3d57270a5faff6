package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

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
}
