package org.unet4j.recipes.infer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;

/** Run directories of tiny nets and an independent whole-image reference pass. */
final class TinyModels {
  private TinyModels() {}

  /** A recipe for {@code model} trained at and predicting with {@code tile}, no TTA. */
  static Recipe recipe(String name, ModelSpec model, int tile) {
    return new Recipe(name, "a tiny net for prediction tests", model, WeightedCrossEntropyLoss.paper(),
        AugmentationSpec.none(),
        new TrainingSpec(AdamOptimizer.defaults(), 1e-2, new ConstantSchedule(), 0, 4, 2, tile, 7, 2, 0),
        DataSpec.none(), new InferenceSpec(tile, 1, TestTimeAugmentation.NONE, 0.5, 0, false));
  }

  /**
   * A run directory holding {@code recipe} and one checkpoint (step 0) of the net's seeded initial
   * weights: a real model source that costs no training.
   */
  static Path untrainedRun(Recipe recipe, Path dir) {
    RunDirectory run = new RunDirectory(dir);
    try {
      Files.createDirectories(dir);
      Files.writeString(run.recipe(), Recipes.toJson(recipe), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), recipe.training().tile(), 11);
        Session session = new Session(model.graph())) {
      session.initialize();
      run.checkpoints().save(session, Checkpoints.shapes(model), 0, 0.0);
    }
    return dir;
  }

  /**
   * One pass of the net (compiled for any size) over the image mirror-extended by {@code context}
   * on the left and top and at least as much on the right and bottom to make a valid input,
   * cropped to the image: what overlap-tile prediction must reproduce. The context is the net's
   * margin for unpadded nets of stride 1; padded nets need more. A net of output stride above 1 has
   * the pass's output upsampled by the bilinear formula first; its pixel i lies under input pixel i
   * + margin. The mirroring is written out here by bouncing
   * off the edges, independently of the predictor's.
   */
  static float[] wholeImage(Recipe recipe, Path run, float[] normalized, int width, int height, int context) {
    var geometry = recipe.model().geometry();
    int margin = context;
    // Output pixel i of the pass lies under input pixel i + (the net's own margin).
    int crop = context - geometry.margin();
    int channels = recipe.model().inputChannels();
    int classes = recipe.model().classes();
    int extendedWidth = geometry.validInputAbove(width + 2 * margin - 1).orElseThrow();
    int extendedHeight = geometry.validInputAbove(height + 2 * margin - 1).orElseThrow();
    float[] extended = new float[extendedWidth * extendedHeight * channels];
    for (int y = 0; y < extendedHeight; y++) {
      for (int x = 0; x < extendedWidth; x++) {
        int sx = bounce(x - margin, width);
        int sy = bounce(y - margin, height);
        for (int c = 0; c < channels; c++) {
          extended[(y * extendedWidth + x) * channels + c] = normalized[(sy * width + sx) * channels + c];
        }
      }
    }
    Checkpoint checkpoint = new RunDirectory(run).checkpoints().latest(new ArrayList<>()).orElseThrow();
    float[] whole;
    int outWidth = geometry.outputSize(extendedWidth);
    try (CompiledModel model = ModelCompiler.compileForAnySize(recipe.model(), 3);
        Session session = new Session(model.graph())) {
      Checkpoints.restore(session, model, checkpoint);
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(1, extendedHeight, extendedWidth, channels),
              DataBuffers.of(extended, true, false));
          Result result = session.runner().feed(model.input(), input).fetch(model.probabilities()).run()) {
        TFloat32 p = (TFloat32) result.get(0);
        whole = new float[Math.toIntExact(p.size())];
        p.asRawTensor().data().asFloats().read(whole);
      }
    }
    int stride = geometry.outputStride();
    if (stride > 1) {
      whole = upsampled(whole, outWidth, geometry.outputSize(extendedHeight), classes, stride);
      outWidth *= stride;
    }
    float[] cropped = new float[width * height * classes];
    for (int y = 0; y < height; y++) {
      System.arraycopy(whole, ((y + crop) * outWidth + crop) * classes, cropped, y * width * classes,
          width * classes);
    }
    return cropped;
  }

  /** Channels-last coarse outputs upsampled by the bilinear formula, pixel by pixel. */
  private static float[] upsampled(float[] coarse, int width, int height, int classes, int stride) {
    float[] fine = new float[width * stride * height * stride * classes];
    float[] channel = new float[width * height];
    for (int k = 0; k < classes; k++) {
      for (int p = 0; p < channel.length; p++) {
        channel[p] = coarse[p * classes + k];
      }
      for (int v = 0; v < height * stride; v++) {
        for (int u = 0; u < width * stride; u++) {
          fine[(v * width * stride + u) * classes + k] =
              (float) BilinearUpsamplingTest.reference(channel, width, height, stride, u, v);
        }
      }
    }
    return fine;
  }

  /** Reflects an index into [0, size) without repeating the edge pixel, as often as needed. */
  static int bounce(int index, int size) {
    if (size == 1) {
      return 0;
    }
    int i = index;
    while (i < 0 || i >= size) {
      i = i < 0 ? -i : 2 * (size - 1) - i;
    }
    return i;
  }

  /** A gray 8-bit image of smooth blobs plus noise, the same for the same seed. */
  static Image blobs(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[width * height];
    double[][] centres = new double[6][];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = new double[] {random.nextDouble() * width, random.nextDouble() * height,
          3 + random.nextDouble() * 12};
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double v = 40;
        for (double[] c : centres) {
          double d2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
          v += 150 * Math.exp(-d2 / (2 * c[2] * c[2]));
        }
        v += 20 * random.nextDouble();
        pixels[y * width + x] = (float) Math.min(255, Math.rint(v));
      }
    }
    return Image.gray(width, height, PixelType.UINT8, pixels);
  }

  /** The largest absolute difference of two arrays of the same length. */
  static double maxDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " and " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
