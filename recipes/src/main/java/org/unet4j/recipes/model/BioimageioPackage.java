package org.unet4j.recipes.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import com.google.common.hash.HashingOutputStream;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ConvolutionLowering;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.data.OutputFolderException;
import org.unet4j.recipes.data.Pictures;
import org.unet4j.recipes.data.PixelType;

/**
 * Writes a trained model as a bioimage.io model package (model spec 0.5), the zip that deepImageJ
 * (Fiji), ilastik, QuPath and the bioimage.io model zoo open: {@value #RDF} describing it, a
 * {@value #README}, the weights as a zipped TensorFlow SavedModel ({@value #WEIGHTS}), a test input
 * and the model's output for it ({@value #TEST_INPUT}, {@value #TEST_OUTPUT}) and a cover picture
 * ({@value #COVER}: the test input beside the predicted foreground).
 *
 * <p>The SavedModel takes any valid height and width: its signature {@value ExportedModel#SIGNATURE}
 * maps {@code image} float32 {@code [batch, height, width, channels]}, normalised, to
 * {@code probabilities} {@code [batch, height - 2 margin, width - 2 margin, classes]}. Consumers
 * normalise the raw image themselves with the preprocessing {@value #RDF} declares (the recipe's
 * {@code data.normalization}). Convolutions are plain {@code Conv2D}s, whatever lowering this
 * machine prefers, and {@code saved_model.pb} carries no attribute at its default value
 * ({@link LegacyGraphs}), so TensorFlow runtimes older than the one writing it load it.
 */
public final class BioimageioPackage {
  /** The model spec version {@value #RDF} follows. */
  public static final String FORMAT_VERSION = "0.5.3";
  public static final String RDF = "rdf.yaml";
  public static final String README = "README.md";
  public static final String WEIGHTS = "tf_saved_model_bundle.zip";
  public static final String TEST_INPUT = "test_input.npy";
  public static final String TEST_OUTPUT = "test_output.npy";
  public static final String COVER = "cover.png";
  /** The input tensor's id in {@value #RDF}, also the signature's input key. */
  public static final String INPUT_ID = ExportedModel.INPUT;
  /** The output tensor's id in {@value #RDF}, also the signature's output key. */
  public static final String OUTPUT_ID = ExportedModel.PROBABILITIES;

  /** Shortest side of the cover picture, so that a tiny net's few output pixels can be seen. */
  private static final int COVER_HEIGHT = 256;

  private BioimageioPackage() {}

  /**
   * What was written.
   *
   * @param file the package, absolute
   * @param rdf the text of {@value BioimageioPackage#RDF}
   * @param step the training step of the packaged checkpoint
   * @param testHeight height of the test input
   * @param testWidth width of the test input
   * @param skipped newer checkpoints of the run that failed verification and were passed over
   * @param bytes size of the package
   */
  public record Written(Path file, String rdf, long step, int testHeight, int testWidth, List<String> skipped,
      long bytes) {
    public Written {
      skipped = ImmutableList.copyOf(skipped);
    }
  }

  /**
   * Packages {@code source}, a run directory (its best checkpoint when it keeps one, else its
   * newest checkpoint that verifies) or one of its
   * checkpoint folders, as the zip {@code out}, which must not exist yet.
   *
   * @throws CheckpointException when the source is not a run or checkpoint or has no usable one
   * @throws org.unet4j.dsl.SpecException when {@code options.tile()} is not a valid input of the model
   * @throws ModelMismatchException when the test image has other channels than the model reads or
   *     is smaller than the input size declared
   * @throws OutputFolderException when {@code out} exists
   * @throws org.unet4j.recipes.data.ImageReadException when the test image cannot be read
   */
  public static Written write(Path source, Path out, BioimageioOptions options) {
    List<String> skipped = new ArrayList<>();
    ModelExport.Trained trained = ModelExport.locate(source, skipped);
    Recipe recipe = trained.recipe();
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new OutputFolderException(out, out + " already exists; give a new file name for the package (nothing"
          + " was overwritten)");
    }
    BioimageioRdf.DeclaredSize size = declaredSize(recipe, options);
    Image raw = testImage(recipe, options, size);
    float[] normalised = Normalizer.apply(raw, recipe.data().normalization());
    Geometry g = recipe.model().geometry();
    long[] outShape = {1, g.outputSize(raw.height()), g.outputSize(raw.width()), recipe.model().classes()};

    Path work = null;
    try {
      work = Files.createTempDirectory("unet4j-bioimageio-");
      Path savedModel = work.resolve("saved-model");
      float[] probabilities = exportAndPredict(recipe, trained.checkpoint(), normalised, raw, savedModel);
      LegacyGraphs.stripDefaultAttributes(savedModel.resolve(ModelExport.SAVED_MODEL));

      Map<String, byte[]> contents = new LinkedHashMap<>();
      contents.put(TEST_INPUT, Npy.float32(new long[] {1, raw.height(), raw.width(), raw.channels()}, raw.pixels()));
      contents.put(TEST_OUTPUT, Npy.float32(outShape, probabilities));
      contents.put(COVER, cover(normalised, raw, probabilities, outShape, g));
      contents.put(README, readme(recipe, trained.checkpoint(), size).getBytes(StandardCharsets.UTF_8));
      Path weights = work.resolve(WEIGHTS);
      Map<String, String> sums = new LinkedHashMap<>();
      sums.put(WEIGHTS, zipFolder(savedModel, weights));
      contents.forEach((name, bytes) -> sums.put(name, Hashing.sha256().hashBytes(bytes).toString()));
      String rdf = BioimageioRdf.yaml(recipe, options, size, raw.type(), TensorFlow.version(),
          new BioimageioRdf.FileSums(ImmutableMap.copyOf(sums)));

      AtomicFiles.write(target, stream -> {
        ZipOutputStream zip = new ZipOutputStream(stream);
        putEntry(zip, RDF, rdf.getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
          putEntry(zip, e.getKey(), e.getValue());
        }
        zip.putNextEntry(new ZipEntry(WEIGHTS));
        Files.copy(weights, zip);
        zip.closeEntry();
        zip.finish();
      });
      return new Written(target, rdf, trained.checkpoint().step(), raw.height(), raw.width(), skipped,
          Files.size(target));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the bioimage.io package " + out + ": " + e, e);
    } finally {
      if (work != null) {
        try {
          MoreFiles.deleteRecursively(work, RecursiveDeleteOption.ALLOW_INSECURE);
        } catch (IOException e) {
          // A leftover folder in the temporary directory does not spoil the package.
        }
      }
    }
  }

  /**
   * The options' fixed tile, or every valid input as the smallest plus the geometry's period; the
   * output then follows the input with a constant offset, checked on the first sizes of the series.
   */
  static BioimageioRdf.DeclaredSize declaredSize(Recipe recipe, BioimageioOptions options) {
    Geometry g = recipe.model().geometry();
    if (options.tile().isPresent()) {
      int tile = options.tile().getAsInt();
      g.requireValid(tile, recipe.name());
      return new BioimageioRdf.DeclaredSize(true, tile, 0, g.outputSize(tile) - tile / g.outputStride());
    }
    int min = g.smallestValidInput();
    int stride = g.outputStride();
    int offset = g.outputSize(min) - min / stride;
    for (int k = 0; k < 4; k++) {
      int in = min + k * g.period();
      if (!g.isValidInput(in) || in / stride + offset != g.outputSize(in)) {
        throw new ModelMismatchException("the valid inputs of " + recipe.name() + " do not follow min " + min
            + " + k x step " + g.period() + " with a constant output offset (at " + in + "); declare one fixed"
            + " tile instead, e.g. " + recipe.inference().tile());
      }
    }
    return new BioimageioRdf.DeclaredSize(false, min, g.period(), offset);
  }

  /**
   * The raw test input: the centre of the options' image, as large as the declared size allows up
   * to the recipe's inference tile, or a generated image of that size.
   */
  private static Image testImage(Recipe recipe, BioimageioOptions options, BioimageioRdf.DeclaredSize size) {
    Geometry g = recipe.model().geometry();
    int channels = recipe.model().inputChannels();
    int largest = size.fixed() ? size.min() : Math.max(size.min(), recipe.inference().tile());
    if (options.testImage() == null) {
      return cells(largest, channels, recipe.training().seed());
    }
    Image image = ImageIo.read(options.testImage());
    if (image.channels() != channels) {
      throw new ModelMismatchException("test image " + options.testImage() + " has " + image.channels()
          + " channel(s) but the model reads " + channels);
    }
    if (Math.min(image.width(), image.height()) < size.min()) {
      throw new ModelMismatchException("test image " + options.testImage() + " is " + image.width() + "x"
          + image.height() + " but the package's input is at least " + size.min() + "x" + size.min()
          + "; give a larger image");
    }
    int height = size.fixed() ? size.min() : g.validInputBelow(Math.min(image.height(), largest) + 1).orElseThrow();
    int width = size.fixed() ? size.min() : g.validInputBelow(Math.min(image.width(), largest) + 1).orElseThrow();
    return centre(image, width, height);
  }

  private static Image centre(Image image, int width, int height) {
    int x0 = (image.width() - width) / 2;
    int y0 = (image.height() - height) / 2;
    int c = image.channels();
    float[] pixels = new float[width * height * c];
    for (int y = 0; y < height; y++) {
      System.arraycopy(image.pixels(), ((y0 + y) * image.width() + x0) * c, pixels, y * width * c, width * c);
    }
    return new Image(width, height, c, image.type(), pixels);
  }

  /**
   * A 8-bit picture of bright round cells on a dim background, seeded: something a segmentation
   * net's test output says more about than noise would.
   */
  static Image cells(int size, int channels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int count = Math.max(3, size * size / 900);
    double[][] cells = new double[count][];
    for (int i = 0; i < count; i++) {
      double x = random.nextDouble(size);
      double y = random.nextDouble(size);
      cells[i] = new double[] {x, y, 4 + random.nextDouble(size / 10.0 + 1)};
    }
    float[] pixels = new float[size * size * channels];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double v = 30;
        for (double[] cell : cells) {
          double d = Math.hypot(x - cell[0], y - cell[1]) / cell[2];
          v += 180 * Math.exp(-d * d * d * d);
        }
        float value = (float) Math.min(255, Math.rint(v + random.nextDouble(10)));
        for (int c = 0; c < channels; c++) {
          pixels[(y * size + x) * channels + c] = value;
        }
      }
    }
    return new Image(size, size, channels, PixelType.UINT8, pixels);
  }

  /**
   * Compiles the net for any valid size with plain convolutions, restores the checkpoint, predicts
   * the normalised test input and exports that graph with a one-output signature.
   */
  private static float[] exportAndPredict(Recipe recipe, Checkpoint checkpoint, float[] normalised, Image raw,
      Path folder) throws IOException {
    try (CompiledModel model = ModelCompiler.compileForAnySize(recipe.model(), recipe.training().seed(),
            ConvolutionLowering.NATIVE);
        Session session = new Session(model.graph())) {
      Checkpoints.restore(session, model, checkpoint);
      float[] probabilities;
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(1, raw.height(), raw.width(), raw.channels()),
              DataBuffers.of(normalised, true, false));
          Result result = session.runner().feed(model.input(), input).fetch(model.probabilities()).run()) {
        TFloat32 p = (TFloat32) result.get(0);
        probabilities = new float[Math.toIntExact(p.size())];
        p.copyTo(DataBuffers.of(probabilities, false, false));
      }
      Signature signature = Signature.builder().key(ExportedModel.SIGNATURE)
          .input(INPUT_ID, model.input())
          .output(OUTPUT_ID, model.probabilities())
          .build();
      SavedModelBundle.exporter(folder.toString()).withTags(ExportedModel.TAG).withSession(session)
          .withSignature(signature).export();
      return probabilities;
    }
  }

  /** The test input's channel 0 (gray) beside the last class's probability (viridis), scaled up. */
  private static byte[] cover(float[] normalised, Image raw, float[] probabilities, long[] outShape, Geometry g)
      throws IOException {
    int oh = (int) outShape[1];
    int ow = (int) outShape[2];
    int classes = (int) outShape[3];
    int stride = g.outputStride();
    int margin = g.margin();
    float[] input = new float[oh * ow];
    float[] foreground = new float[oh * ow];
    float low = Float.POSITIVE_INFINITY;
    float high = Float.NEGATIVE_INFINITY;
    for (int y = 0; y < oh; y++) {
      for (int x = 0; x < ow; x++) {
        float v = normalised[((margin + y * stride) * raw.width() + margin + x * stride) * raw.channels()];
        input[y * ow + x] = v;
        low = Math.min(low, v);
        high = Math.max(high, v);
        foreground[y * ow + x] = probabilities[(y * ow + x) * classes + classes - 1];
      }
    }
    BufferedImage prediction = Pictures.falseColour(foreground, ow, oh, 0, 1);
    int scale = Math.max(1, (COVER_HEIGHT + oh - 1) / oh);
    BufferedImage cover = new BufferedImage(2 * ow * scale, oh * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < oh * scale; y++) {
      for (int x = 0; x < ow * scale; x++) {
        int i = (y / scale) * ow + x / scale;
        int gray = high > low ? (int) Math.round(255 * (input[i] - low) / (high - low)) : 128;
        cover.setRGB(x, y, gray << 16 | gray << 8 | gray);
        cover.setRGB(ow * scale + x, y, prediction.getRGB(x / scale, y / scale));
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(cover, "png", png);
    return png.toByteArray();
  }

  private static String readme(Recipe recipe, Checkpoint checkpoint, BioimageioRdf.DeclaredSize size) {
    Geometry g = recipe.model().geometry();
    String sizes = size.fixed() ? size.min() + " x " + size.min() + " pixels"
        : "any of " + size.min() + " + k x " + size.step() + " pixels along each axis";
    return String.format(Locale.ROOT, """
        # %s

        A U-Net (Ronneberger et al., MICCAI 2015) trained with unet4j, recipe `%s`, checkpoint of step %d.

        - Input `%s`: (batch, y, x, channel), %d channel(s), %s. The preprocessing in `rdf.yaml`
          normalises the raw image per image as in training (`data.normalization`: %s).
        - Output `%s`: (batch, y, x, channel), %d class probabilities. The net's convolutions are
          unpadded, so the output covers the input's centre: %d pixels of context are lost on each side.
          To segment a large image, tile it with tiles that overlap by twice that margin, or mirror its
          border by the margin first (the paper's overlap-tile strategy).
        - Weights: a TensorFlow SavedModel, tag `serve`, signature `%s`.
        """, recipe.name(), recipe.name(), checkpoint.step(), INPUT_ID, recipe.model().inputChannels(), sizes,
        recipe.data().normalization().scaling().name().toLowerCase(Locale.ROOT).replace('_', '-'), OUTPUT_ID,
        recipe.model().classes(), g.margin(), ExportedModel.SIGNATURE);
  }

  /** Zips the files under {@code folder} (paths relative to it) into {@code zip}; returns its sha256. */
  private static String zipFolder(Path folder, Path zip) throws IOException {
    try (HashingOutputStream hashing = new HashingOutputStream(Hashing.sha256(), Files.newOutputStream(zip));
        ZipOutputStream out = new ZipOutputStream(hashing);
        Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
      out.finish();
      out.flush();
      return hashing.hash().toString();
    }
  }

  private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }
}
