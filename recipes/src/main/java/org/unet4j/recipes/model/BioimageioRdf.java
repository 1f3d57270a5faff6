package org.unet4j.recipes.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.IntensityScaling;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.PixelType;

/**
 * The {@code rdf.yaml} of a bioimage.io model package (model spec 0.5): what the package's files
 * are, and how a consumer (deepImageJ, ilastik, QuPath, bioimageio.core) sizes, normalises and
 * feeds the input and reads the output. Field names follow the spec exactly.
 */
final class BioimageioRdf {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .build());
  /** The U-Net paper, which every package cites. */
  static final String PAPER = "Ronneberger, O., Fischer, P., Brox, T.: U-Net: Convolutional Networks for Biomedical"
      + " Image Segmentation. MICCAI 2015, LNCS 9351, pp. 234-241.";
  static final String PAPER_DOI = "10.1007/978-3-319-24574-4_28";
  /** Normalisation over the whole image, every channel together, as {@code recipes.data.Normalizer} does. */
  private static final List<String> PER_IMAGE = List.of("y", "x", "channel");

  /**
   * The files of a package and their sha256 sums.
   *
   * @param sha256 file name in the package to its hex sum
   */
  record FileSums(Map<String, String> sha256) {
    String sum(String file) {
      String sum = sha256.get(file);
      if (sum == null) {
        throw new IllegalStateException("no sha256 for " + file);
      }
      return sum;
    }
  }

  /**
   * The input size declared for both spatial axes: one fixed size, or every valid one as
   * {@code min + k * step}; the output's size is then the input's size (over the output stride)
   * plus {@code outputOffset}.
   */
  record DeclaredSize(boolean fixed, int min, int step, int outputOffset) {}

  private BioimageioRdf() {}

  /**
   * The description as YAML text.
   *
   * @param inputSize the declared input size of both spatial axes
   * @param testType the pixel type of the test image (for {@code TYPE_RANGE} scaling)
   */
  static String yaml(Recipe recipe, BioimageioOptions options, DeclaredSize inputSize, PixelType testType,
      String tensorflowVersion, FileSums files) {
    ObjectNode rdf = NODES.objectNode();
    rdf.put("format_version", BioimageioPackage.FORMAT_VERSION);
    rdf.put("type", "model");
    rdf.put("name", options.name() != null ? options.name() : recipe.name() + " U-Net");
    rdf.put("description", options.description() != null ? options.description()
        : recipe.description().isBlank() ? "A U-Net trained with unet4j (recipe " + recipe.name() + ")."
        : recipe.description());
    ArrayNode authors = rdf.putArray("authors");
    options.authors().forEach(a -> authors.addObject().put("name", a));
    rdf.putArray("cite").addObject().put("text", PAPER).put("doi", PAPER_DOI);
    rdf.put("license", options.license());
    rdf.putArray("tags").add("unet4j").add("u-net").add("segmentation").add("2d").add("tensorflow");
    rdf.putObject("documentation").put("source", BioimageioPackage.README).put("sha256",
        files.sum(BioimageioPackage.README));
    rdf.putArray("covers").addObject().put("source", BioimageioPackage.COVER).put("sha256",
        files.sum(BioimageioPackage.COVER));
    rdf.putArray("inputs").add(input(recipe, inputSize, testType, files));
    rdf.putArray("outputs").add(output(recipe, inputSize, files));
    rdf.putObject("weights").putObject("tensorflow_saved_model_bundle")
        .put("source", BioimageioPackage.WEIGHTS)
        .put("sha256", files.sum(BioimageioPackage.WEIGHTS))
        .put("tensorflow_version", tensorflowVersion);
    rdf.putObject("config").putObject("unet4j").put("recipe", recipe.name())
        .put("margin", recipe.model().geometry().margin())
        .put("signature", ExportedModel.SIGNATURE);
    try {
      return YAML.writeValueAsString(rdf);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write rdf.yaml", e);
    }
  }

  private static ObjectNode input(Recipe recipe, DeclaredSize size, PixelType testType, FileSums files) {
    ObjectNode input = NODES.objectNode();
    input.put("id", BioimageioPackage.INPUT_ID);
    input.put("description", "the raw image, channels last; the preprocessing normalises it as in training");
    ArrayNode axes = input.putArray("axes");
    axes.addObject().put("type", "batch");
    for (String axis : List.of("y", "x")) {
      ObjectNode space = axes.addObject().put("type", "space").put("id", axis);
      if (size.fixed()) {
        space.put("size", size.min());
      } else {
        space.putObject("size").put("min", size.min()).put("step", size.step());
      }
    }
    ArrayNode channels = axes.addObject().put("type", "channel").putArray("channel_names");
    for (int c = 0; c < recipe.model().inputChannels(); c++) {
      channels.add("channel" + c);
    }
    input.putObject("test_tensor").put("source", BioimageioPackage.TEST_INPUT)
        .put("sha256", files.sum(BioimageioPackage.TEST_INPUT));
    ArrayNode pre = input.putArray("preprocessing");
    pre.addObject().put("id", "ensure_dtype").putObject("kwargs").put("dtype", "float32");
    ObjectNode scaling = preprocessing(recipe.data().normalization(), testType);
    if (scaling != null) {
      pre.add(scaling);
    }
    return input;
  }

  /**
   * The spec's preprocessing that computes what {@code Normalizer} computes: per image, over all
   * pixels and channels together ({@code axes: [y, x, channel]}).
   */
  static @Nullable ObjectNode preprocessing(NormalizationSpec spec, PixelType type) {
    ObjectNode step = NODES.objectNode();
    ObjectNode kwargs;
    switch (spec.scaling()) {
      case PERCENTILE, MIN_MAX -> {
        boolean percentile = spec.scaling() == IntensityScaling.PERCENTILE;
        kwargs = step.put("id", "scale_range").putObject("kwargs");
        PER_IMAGE.forEach(kwargs.putArray("axes")::add);
        kwargs.put("min_percentile", percentile ? spec.low() : 0.0);
        kwargs.put("max_percentile", percentile ? spec.high() : 100.0);
      }
      case Z_SCORE -> {
        kwargs = step.put("id", "zero_mean_unit_variance").putObject("kwargs");
        PER_IMAGE.forEach(kwargs.putArray("axes")::add);
      }
      case TYPE_RANGE -> {
        if (!type.isInteger()) {
          return null;
        }
        step.put("id", "scale_linear").putObject("kwargs").put("gain", 1.0 / type.max()).put("offset", 0.0);
      }
      default -> throw new IllegalStateException("unknown scaling " + spec.scaling());
    }
    return step;
  }

  private static ObjectNode output(Recipe recipe, DeclaredSize size, FileSums files) {
    Geometry g = recipe.model().geometry();
    ObjectNode output = NODES.objectNode();
    output.put("id", BioimageioPackage.OUTPUT_ID);
    output.put("description", (recipe.model().head().activation() == OutputActivation.SOFTMAX
        ? "soft-max probability of each class" : "sigmoid probability of each class")
        + " for the centre of the input: the net's valid convolutions use " + g.margin()
        + " px of context on each side");
    ArrayNode axes = output.putArray("axes");
    axes.addObject().put("type", "batch");
    for (String axis : List.of("y", "x")) {
      ObjectNode space = axes.addObject().put("type", "space").put("id", axis);
      if (size.fixed()) {
        space.put("size", g.outputSize(size.min()));
      } else {
        // The context the net crops is already gone from its output: the spec documents such a
        // margin as size.offset (a halo would tell consumers to crop it once more).
        space.putObject("size").put("tensor_id", BioimageioPackage.INPUT_ID).put("axis_id", axis)
            .put("offset", size.outputOffset());
      }
      if (g.outputStride() != 1) {
        space.put("scale", (double) g.outputStride());
      }
    }
    ArrayNode channels = axes.addObject().put("type", "channel").putArray("channel_names");
    for (int c = 0; c < recipe.model().classes(); c++) {
      channels.add("class" + c);
    }
    output.putObject("test_tensor").put("source", BioimageioPackage.TEST_OUTPUT)
        .put("sha256", files.sum(BioimageioPackage.TEST_OUTPUT));
    output.putObject("data").put("type", "float32").putArray("range").add(0.0).add(1.0);
    return output;
  }
}
