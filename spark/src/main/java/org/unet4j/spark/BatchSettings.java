package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.Sets;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.infer.ObjectOutput;

/**
 * What a batch prediction does, as every executor needs to know it.
 *
 * @param model the model (run directory, checkpoint or export) as given: a relative path resolves
 *     in each JVM's working directory, where {@code spark-submit --archives} unpacks
 * @param inference the inference settings that override the recipe's
 * @param out the absolute output folder, on a file system every executor sees
 * @param truth the absolute folder of ground-truth images ({@code NAME.tif}, {@code .tiff} or
 *     {@code .png}) to evaluate against, or null for no evaluation
 * @param truthLabels how the truth is decoded: {@value #CELLS_ABOVE_ZERO} (the challenge's
 *     convention: cell = value &gt; 0), a label format's name ({@code instance},
 *     {@code color-components}, ...), or null for the model recipe's {@code data.labelFormat}
 * @param overwrite predict every image again, even those whose outputs are complete
 * @param unitTiles the tiles a work unit holds at most before an image is split; 0 chooses from
 *     the collection and the cluster's cores
 * @param objectOutputs the per-object outputs to write beside each image's probabilities and
 *     labels, as {@code unet4j predict} writes them ({@code NAME_rois.zip}, {@code NAME_objects.csv})
 */
public record BatchSettings(String model, InferenceOptions inference, String out, @Nullable String truth,
    @Nullable String truthLabels, boolean overwrite, long unitTiles, Set<ObjectOutput> objectOutputs)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The truth's label format that {@code unet4j evaluate} uses without a recipe. */
  public static final String CELLS_ABOVE_ZERO = "cells-above-zero";

  public BatchSettings {
    checkNotNull(model, "model");
    checkNotNull(inference, "inference");
    checkNotNull(out, "out");
    checkArgument(unitTiles >= 0, "unitTiles must be >= 0 (0: automatic), got %s", unitTiles);
    // An immutable copy (serializable, as the settings travel to the executors).
    objectOutputs = Sets.immutableEnumSet(checkNotNull(objectOutputs, "objectOutputs"));
    if (truthLabels != null && !truthLabels.equals(CELLS_ABOVE_ZERO)
        && JsonNames.constant(LabelFormat.class, truthLabels) == null) {
      List<String> known = new ArrayList<>(List.of(CELLS_ABOVE_ZERO));
      Arrays.stream(LabelFormat.values()).map(JsonNames::of).forEach(known::add);
      String closest = JsonNames.closest(truthLabels, known);
      throw new DataException(truthLabels + ": unknown label format" + (closest == null ? ""
          : " (did you mean " + closest + "?)") + "; known: " + String.join(", ", known));
    }
  }

  /** Settings without per-object outputs. */
  public BatchSettings(String model, InferenceOptions inference, String out, @Nullable String truth,
      @Nullable String truthLabels, boolean overwrite, long unitTiles) {
    this(model, inference, out, truth, truthLabels, overwrite, unitTiles, Set.of());
  }

  public Path outFolder() {
    return Path.of(out);
  }

  public Path modelPath() {
    return Path.of(model);
  }

  public @Nullable Path truthFolder() {
    return truth == null ? null : Path.of(truth);
  }

  /** The truth's label format; null for {@value #CELLS_ABOVE_ZERO} (or when none is set). */
  public @Nullable LabelFormat truthFormat() {
    return truthLabels == null || truthLabels.equals(CELLS_ABOVE_ZERO) ? null
        : JsonNames.constant(LabelFormat.class, truthLabels);
  }

  /** These settings with the truth decoded as {@code labels}. */
  BatchSettings withTruthLabels(String labels) {
    return new BatchSettings(model, inference, out, truth, labels, overwrite, unitTiles, objectOutputs);
  }
}
