package org.unet4j.recipes.model;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.json.SpecJson;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.Recipe;

/**
 * The {@code unet4j-model.json} of a model export: the fixed tile the SavedModel was compiled for
 * and the size arithmetic a predictor needs to tile an image with it (paper Fig. 2: the output
 * covers the centre of the input, {@code margin} pixels in from each side), plus where the weights
 * came from. Written as {@code {"format": "unet4j-model", "formatVersion": 1, ...}}. For a 3D net
 * the sizes are those of the plane (y and x); the block's depth is the export recipe's
 * {@code inference.tileZ} ({@link ModelExport}).
 *
 * @param recipe the recipe's name
 * @param tile input height and width of the exported graph
 * @param outputSize output height and width for that tile
 * @param margin context lost on each side, {@code (tile - outputStride * outputSize) / 2}
 * @param outputStride input pixels per output pixel along an axis (1 for a full U-Net)
 * @param inputChannels channels of the input image
 * @param classes channels of the output
 * @param outputActivation how the logits become the {@code probabilities} output
 * @param step the training step of the exported checkpoint
 * @param checkpoint the exported checkpoint folder, absolute
 * @param tensorflow the TensorFlow runtime version that wrote the export
 */
public record ModelInfo(String recipe, int tile, int outputSize, int margin, int outputStride, int inputChannels,
    int classes, OutputActivation outputActivation, long step, String checkpoint, String tensorflow) {
  /** The {@code format} of the file. */
  public static final String FORMAT = "unet4j-model";
  /** The {@code formatVersion} this unet4j writes and reads. */
  public static final int CURRENT_VERSION = 1;

  public ModelInfo {
    checkNotNull(recipe, "recipe");
    checkNotNull(outputActivation, "outputActivation");
    checkNotNull(checkpoint, "checkpoint");
    checkNotNull(tensorflow, "tensorflow");
    if (tile < 1 || outputSize < 1 || outputStride < 1 || margin < 0 || inputChannels < 1 || classes < 1) {
      throw new SpecException("", "sizes must be positive: tile " + tile + ", outputSize " + outputSize
          + ", outputStride " + outputStride + ", margin " + margin + ", inputChannels " + inputChannels
          + ", classes " + classes);
    }
    if (tile != outputStride * outputSize + 2 * margin) {
      throw new SpecException("tile", tile + " does not equal outputStride x outputSize + 2 x margin = "
          + outputStride + " x " + outputSize + " + 2 x " + margin);
    }
  }

  /** The description of {@code recipe}'s model compiled at {@code tile} with the weights of {@code checkpoint}. */
  public static ModelInfo of(Recipe recipe, int tile, Checkpoint checkpoint, String tensorflowVersion) {
    Geometry g = recipe.model().geometry();
    return new ModelInfo(recipe.name(), tile, g.outputSize(tile), g.margin(), g.outputStride(),
        recipe.model().inputChannels(), recipe.model().classes(), recipe.model().head().activation(),
        checkpoint.step(), checkpoint.directory().toAbsolutePath().normalize().toString(), tensorflowVersion);
  }

  /** Stable JSON text: the envelope, then the fields in declaration order. */
  public String toJson() {
    ObjectNode root = SpecJson.objectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", CURRENT_VERSION);
    root.setAll((ObjectNode) SpecJson.toTree(this));
    return SpecJson.write(root);
  }

  /**
   * Reads {@code unet4j-model.json} strictly; a problem with its content names the file and the
   * JSON path.
   */
  public static ModelInfo read(Path file) {
    try {
      return fromJson(Files.readString(file, StandardCharsets.UTF_8));
    } catch (SpecException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads the file's text strictly: another format, a newer version, an unknown or missing field
   * or a wrong type fails with its JSON path.
   */
  public static ModelInfo fromJson(String text) {
    JsonNode root = SpecJson.parse(text);
    if (!root.isObject()) {
      throw new SpecException("", "expected a JSON object, got " + root.getNodeType());
    }
    JsonNode format = root.get("format");
    if (format == null || !format.isTextual() || !format.textValue().equals(FORMAT)) {
      throw new SpecException("format", "expected \"" + FORMAT + "\", got "
          + (format == null ? "nothing" : format.toString()) + "; is this a unet4j model export?");
    }
    JsonNode version = root.get("formatVersion");
    if (version == null || !version.isIntegralNumber() || version.asLong() < 1) {
      throw new SpecException("formatVersion", "expected an integer 1.." + CURRENT_VERSION + ", got "
          + (version == null ? "nothing" : version.toString()));
    }
    if (version.asLong() > CURRENT_VERSION) {
      throw new SpecException("formatVersion", "this export has format version " + version.asLong()
          + " but this unet4j reads versions 1.." + CURRENT_VERSION + "; upgrade unet4j to read it");
    }
    ObjectNode body = ((ObjectNode) root).deepCopy();
    body.remove("format");
    body.remove("formatVersion");
    return SpecJson.read(ModelInfo.class, body, "");
  }
}
