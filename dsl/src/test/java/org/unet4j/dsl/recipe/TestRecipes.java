package org.unet4j.dsl.recipe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.HeadSpec;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.StageSpec;

/**
 * Small recipes for the codec tests, built in code with every value spelled out (so they do not
 * lean on the defaults under test), and an editor for recipe text that uses plain Jackson rather
 * than the codec.
 */
final class TestRecipes {
  /** The smallest readable recipe: one level, 8 filters; every other value is a default. */
  static final String MINIMAL = "{\"format\":\"unet4j-recipe\",\"formatVersion\":7,\"name\":\"x\","
      + "\"model\":{\"contracting\":[{\"filters\":8}],\"bottleneck\":{\"filters\":16},"
      + "\"expanding\":[{\"filters\":8}]},"
      + "\"training\":{\"tile\":44},\"inference\":{\"tile\":44}}";

  /**
   * Three levels, so an error can point at {@code contracting[2]}. Tile 92 is valid by hand:
   * 92 -> 88 -> 44 -> 40 -> 20 -> 16 -> 8 -> bottleneck 4 -> up 8 -> 4 -> up 8 -> 4 -> up 8 -> 4,
   * every feature map even before pooling and every crop (16 to 8, 40 to 8, 88 to 8) even.
   */
  static final String THREE_LEVELS = "{\"format\":\"unet4j-recipe\",\"formatVersion\":5,\"name\":\"three\","
      + "\"model\":{\"contracting\":[{\"filters\":8},{\"filters\":16},{\"filters\":32}],"
      + "\"bottleneck\":{\"filters\":64},"
      + "\"expanding\":[{\"filters\":32},{\"filters\":16},{\"filters\":8}]},"
      + "\"training\":{\"tile\":92},\"inference\":{\"tile\":92}}";

  private static final ObjectMapper PLAIN = new ObjectMapper();

  private TestRecipes() {}

  /** The model of {@link #MINIMAL}: 8 filters, bottleneck 16, the paper's stage settings. */
  static ModelSpec tinyModel() {
    return new ModelSpec(1, 2, Pooling.max(2), List.of(StageSpec.paper(8)), StageSpec.paper(16),
        List.of(ExpandingStageSpec.paper(8)), HeadSpec.paper());
  }

  /** Training as the defaults have it, with {@code tile}. */
  static TrainingSpec training(int tile) {
    return training(new SgdOptimizer(0.99), new ConstantSchedule(), tile);
  }

  static TrainingSpec training(OptimizerSpec optimizer, ScheduleSpec schedule, int tile) {
    return new TrainingSpec(optimizer, 0.01, schedule, 0, 1000, 1, tile, 42, 500, 0);
  }

  /** Inference as the defaults have it, with {@code tile}. */
  static InferenceSpec inference(int tile) {
    return new InferenceSpec(tile, 1, TestTimeAugmentation.NONE, 0.5, 0, false);
  }

  /** {@link #MINIMAL} built in code, every default written out by hand. */
  static Recipe tiny() {
    return new Recipe("x", "", tinyModel(),
        new WeightedCrossEntropyLoss(10, 5, ClassBalance.INVERSE_FREQUENCY, List.of()),
        new AugmentationSpec(List.of(), Interpolation.BICUBIC),
        training(44),
        new DataSpec("", "", LabelFormat.INSTANCE, new NormalizationSpec(IntensityScaling.PERCENTILE, 1, 99.8), 0.2),
        inference(44));
  }

  static Recipe withModel(Recipe r, ModelSpec model) {
    return new Recipe(r.name(), r.description(), model, r.loss(), r.augmentation(), r.training(), r.data(),
        r.inference());
  }

  static Recipe withDescription(Recipe r, String description) {
    return new Recipe(r.name(), description, r.model(), r.loss(), r.augmentation(), r.training(), r.data(),
        r.inference());
  }

  static Recipe withLoss(Recipe r, LossSpec loss) {
    return new Recipe(r.name(), r.description(), r.model(), loss, r.augmentation(), r.training(), r.data(),
        r.inference());
  }

  static Recipe withAugmentation(Recipe r, AugmentationSpec augmentation) {
    return new Recipe(r.name(), r.description(), r.model(), r.loss(), augmentation, r.training(), r.data(),
        r.inference());
  }

  static Recipe withTraining(Recipe r, TrainingSpec training) {
    return new Recipe(r.name(), r.description(), r.model(), r.loss(), r.augmentation(), training, r.data(),
        r.inference());
  }

  static Recipe withData(Recipe r, DataSpec data) {
    return new Recipe(r.name(), r.description(), r.model(), r.loss(), r.augmentation(), r.training(), data,
        r.inference());
  }

  static Recipe withInference(Recipe r, InferenceSpec inference) {
    return new Recipe(r.name(), r.description(), r.model(), r.loss(), r.augmentation(), r.training(), r.data(),
        inference);
  }

  /** Recipe text edited with plain Jackson: {@code edit(MINIMAL).set("/training", "steps", "0").text()}. */
  static Edit edit(String json) {
    try {
      return new Edit((ObjectNode) PLAIN.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A recipe tree being edited; objects are found by JSON Pointer ({@code ""} is the root). */
  static final class Edit {
    private final ObjectNode root;

    private Edit(ObjectNode root) {
      this.root = root;
    }

    /** Sets {@code field} of the object at {@code pointer} to the JSON {@code value}. */
    Edit set(String pointer, String field, String value) {
      try {
        object(pointer).set(field, PLAIN.readTree(value));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(value, e);
      }
      return this;
    }

    Edit remove(String pointer, String field) {
      object(pointer).remove(field);
      return this;
    }

    String text() {
      try {
        return PLAIN.writerWithDefaultPrettyPrinter().writeValueAsString(root);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    private ObjectNode object(String pointer) {
      JsonNode node = root.at(pointer);
      if (!node.isObject()) {
        throw new IllegalArgumentException("no object at " + pointer);
      }
      return (ObjectNode) node;
    }
  }
}
