package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.data.OutputFolderException;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.model.BioimageioOptions;
import org.unet4j.recipes.model.BioimageioPackage;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.model.ModelMismatchException;

class BioimageioPackageTest {
  /**
   * Depth 2, 4 base filters: valid inputs 44 + 4k, 20 px of context lost per side (see
   * ModelExportTest); with batch norm and dropout, so that the graph older runtimes load holds
   * their ops too.
   */
  private static final Recipe TINY = TinyRecipes.with(TinyRecipes.tinyAdam(10, 10),
      "model.contracting[1].normalization=batch", "model.bottleneck.normalization=batch",
      "model.bottleneck.dropout=0.5");

  @TempDir static Path shared;
  @TempDir Path dir;
  private static Path run;
  /** The package with every default: any valid size, a generated test image. */
  private static Path anySize;
  private static Map<String, byte[]> anySizeFiles;

  @BeforeAll
  static void trainAndPackage() throws IOException {
    run = shared.resolve("run");
    Trainer.of(TINY, run, new SyntheticTiles(TINY.model(), TINY.training().tile(), TINY.training().batchSize(),
        TINY.training().seed())).train();
    anySize = shared.resolve("tiny.zip");
    BioimageioPackage.write(run, anySize, BioimageioOptions.builder("Ada Lovelace").build());
    anySizeFiles = unzip(Files.readAllBytes(anySize));
  }

  @Test
  void everyFileTheDescriptionNamesIsInThePackageWithItsSha256() throws IOException {
    JsonNode rdf = rdf(anySizeFiles);
    List<JsonNode> described = new ArrayList<>();
    collectFileDescriptions(rdf, described);
    List<String> named = new ArrayList<>();
    for (JsonNode file : described) {
      String source = file.get("source").textValue();
      named.add(source);
      assertTrue(anySizeFiles.containsKey(source), source + " is named but not in the zip " + anySizeFiles.keySet());
      assertEquals(sha256(anySizeFiles.get(source)), file.get("sha256").textValue(), source);
    }
    named.add("rdf.yaml");
    assertEquals(anySizeFiles.keySet().stream().sorted().toList(), named.stream().sorted().toList(),
        "the zip holds nothing that the description does not name");
    assertEquals(List.of("README.md", "cover.png", "test_input.npy", "test_output.npy", "tf_saved_model_bundle.zip"),
        named.stream().filter(n -> !n.equals("rdf.yaml")).sorted().toList());
    // The weights zip is a SavedModel: saved_model.pb and the variables at its root.
    assertEquals(List.of("saved_model.pb", "variables/variables.data-00000-of-00001", "variables/variables.index"),
        unzip(anySizeFiles.get("tf_saved_model_bundle.zip")).keySet().stream().sorted().toList());
  }

  @Test
  void descriptionHasTheRequiredFieldsOfModelSpec05() throws IOException {
    JsonNode rdf = rdf(anySizeFiles);
    assertTrue(rdf.get("format_version").textValue().startsWith("0.5."), rdf.get("format_version").toString());
    assertEquals("model", rdf.get("type").textValue());
    assertEquals("tiny U-Net", rdf.get("name").textValue());
    assertEquals("a tiny net for tests", rdf.get("description").textValue());
    assertEquals("Ada Lovelace", rdf.at("/authors/0/name").textValue());
    assertEquals("10.1007/978-3-319-24574-4_28", rdf.at("/cite/0/doi").textValue());
    assertTrue(rdf.at("/cite/0/text").textValue().contains("U-Net"));
    assertEquals("CC-BY-4.0", rdf.get("license").textValue());
    assertEquals("README.md", rdf.at("/documentation/source").textValue());
    assertEquals("cover.png", rdf.at("/covers/0/source").textValue());
    JsonNode weights = rdf.at("/weights/tensorflow_saved_model_bundle");
    assertEquals("tf_saved_model_bundle.zip", weights.get("source").textValue());
    assertTrue(weights.get("tensorflow_version").textValue().matches("2\\.\\d+\\.\\d+"), weights.toString());
    assertEquals(1, rdf.get("inputs").size());
    assertEquals(1, rdf.get("outputs").size());
    assertEquals("image", rdf.at("/inputs/0/id").textValue());
    assertEquals("probabilities", rdf.at("/outputs/0/id").textValue());
    // The recipe normalises by percentiles 1 and 99.8 over the whole image.
    JsonNode pre = rdf.at("/inputs/0/preprocessing");
    assertEquals("ensure_dtype", pre.at("/0/id").textValue());
    assertEquals("scale_range", pre.at("/1/id").textValue());
    assertEquals(1.0, pre.at("/1/kwargs/min_percentile").doubleValue());
    assertEquals(99.8, pre.at("/1/kwargs/max_percentile").doubleValue());
    assertEquals(List.of("y", "x", "channel"), texts(pre.at("/1/kwargs/axes")));
    BufferedImage cover = ImageIO.read(new ByteArrayInputStream(anySizeFiles.get("cover.png")));
    assertEquals(2 * cover.getHeight(), cover.getWidth(), "input | prediction, side by side");
  }

  @Test
  void axesAndSizesAgreeWithTheGeometry() throws IOException {
    JsonNode rdf = rdf(anySizeFiles);
    JsonNode in = rdf.at("/inputs/0/axes");
    JsonNode out = rdf.at("/outputs/0/axes");
    assertEquals(List.of("batch", "space", "space", "channel"), types(in));
    assertEquals(List.of("batch", "space", "space", "channel"), types(out));
    assertEquals("y", in.at("/1/id").textValue());
    assertEquals("x", in.at("/2/id").textValue());
    assertEquals(List.of("channel0"), texts(in.at("/3/channel_names")));
    assertEquals(List.of("class0", "class1"), texts(out.at("/3/channel_names")));
    // By hand: the smallest valid input is 44, then every 4th (two 2x2 poolings), and 44 -> 4.
    for (int axis = 1; axis <= 2; axis++) {
      assertEquals(44, in.at("/" + axis + "/size/min").intValue());
      assertEquals(4, in.at("/" + axis + "/size/step").intValue());
      assertEquals("image", out.at("/" + axis + "/size/tensor_id").textValue());
      assertEquals(in.at("/" + axis + "/id").textValue(), out.at("/" + axis + "/size/axis_id").textValue());
      assertEquals(-40, out.at("/" + axis + "/size/offset").intValue());
    }
    for (int k = 0; k < 5; k++) {
      int size = 44 + 4 * k;
      assertTrue(TINY.model().geometry().isValidInput(size));
      assertEquals(TINY.model().geometry().outputSize(size), size - 40);
    }
  }

  @Test
  void testTensorsAreNpy10AndTheOutputIsUnet4jsPredictionOfTheInput() throws IOException {
    NpyArray input = NpyArray.parse(anySizeFiles.get("test_input.npy"));
    NpyArray output = NpyArray.parse(anySizeFiles.get("test_output.npy"));
    // The generated test image has the recipe's inference tile, 60 -> 20.
    assertArrayEquals(new long[] {1, 60, 60, 1}, input.shape);
    assertArrayEquals(new long[] {1, 20, 20, 2}, output.shape);

    Image raw = new Image(60, 60, 1, PixelType.UINT8, input.values);
    float[] normalised = Normalizer.apply(raw, TINY.data().normalization());
    Path export = dir.resolve("export");
    ModelExport.export(run, export, OptionalInt.of(60));
    try (ExportedModel model = ExportedModel.load(export, 1)) {
      assertMaxDiff(model.predict(normalised, 1), output.values, 1e-5);
    }
    for (int p = 0; p < output.values.length; p += 2) {
      assertEquals(1.0, output.values[p] + output.values[p + 1], 1e-5, "soft-max sums to 1");
    }
  }

  @Test
  void tensorflow210LoadsTheSavedModelAndReproducesTheTestOutput() throws Exception {
    Path jars = Path.of("target", "tensorflow-2.10");
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64")
        && Files.isDirectory(jars), "TensorFlow Java 0.5.0 is copied for linux-x86_64 only");
    Path model = dir.resolve("saved-model");
    for (Map.Entry<String, byte[]> e : unzip(anySizeFiles.get("tf_saved_model_bundle.zip")).entrySet()) {
      Files.createDirectories(model.resolve(e.getKey()).getParent());
      Files.write(model.resolve(e.getKey()), e.getValue());
    }
    Path input = Files.write(dir.resolve("in.npy"), anySizeFiles.get("test_input.npy"));
    // The SavedModel takes the normalised input: the preprocessing is the consumer's part.
    NpyArray raw = NpyArray.parse(anySizeFiles.get("test_input.npy"));
    float[] normalised = Normalizer.apply(new Image(60, 60, 1, PixelType.UINT8, raw.values),
        TINY.data().normalization());
    Files.write(input, npy(raw.shape, normalised));
    Path output = dir.resolve("out.npy");
    Path runner = Path.of("src", "test", "tensorflow-2.10", "SavedModelRunner.java");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", jars.toAbsolutePath() + "/*", runner.toString(), model.toString(), input.toString(),
        output.toString(), "image", "probabilities")
        .redirectErrorStream(true).start();
    String log;
    try (InputStream stream = process.getInputStream()) {
      log = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), log);
    assertEquals(0, process.exitValue(), log);
    assertTrue(log.contains("tensorflow 2.10."), log);
    NpyArray expected = NpyArray.parse(anySizeFiles.get("test_output.npy"));
    NpyArray actual = NpyArray.parse(Files.readAllBytes(output));
    assertArrayEquals(expected.shape, actual.shape);
    assertMaxDiff(expected.values, actual.values, 1e-4);
  }

  @Test
  void fixedTileDeclaresFixedSizesAndCropsTheCentreOfTheTestImage() throws IOException {
    int width = 90;
    int height = 83;
    float[] pixels = new float[width * height];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i * 37) % 251;
    }
    Path image = dir.resolve("cells.png");
    ImageIo.writePng(image, Image.gray(width, height, PixelType.UINT8, pixels));
    Path zip = dir.resolve("fixed.zip");
    BioimageioPackage.Written written = BioimageioPackage.write(run, zip,
        BioimageioOptions.builder("Ada").name("Tiny nuclei (fixed)").license("MIT").tile(76).testImage(image).build());
    assertEquals(76, written.testHeight());
    assertEquals(76, written.testWidth());
    Map<String, byte[]> files = unzip(Files.readAllBytes(zip));
    JsonNode rdf = rdf(files);
    assertEquals("Tiny nuclei (fixed)", rdf.get("name").textValue());
    assertEquals("MIT", rdf.get("license").textValue());
    for (int axis = 1; axis <= 2; axis++) {
      assertEquals(76, rdf.at("/inputs/0/axes/" + axis + "/size").intValue());
      assertEquals(36, rdf.at("/outputs/0/axes/" + axis + "/size").intValue(), "76 -> 36 by hand");
    }
    NpyArray input = NpyArray.parse(files.get("test_input.npy"));
    assertArrayEquals(new long[] {1, 76, 76, 1}, input.shape);
    // The centre: (90 - 76) / 2 = 7 columns and (83 - 76) / 2 = 3 rows in.
    for (int y = 0; y < 76; y += 15) {
      for (int x = 0; x < 76; x += 15) {
        assertEquals(pixels[(y + 3) * width + x + 7], input.values[y * 76 + x], "at " + x + "," + y);
      }
    }
    assertArrayEquals(new long[] {1, 36, 36, 2}, NpyArray.parse(files.get("test_output.npy")).shape);
  }

  @Test
  void badRequestsAreRefusedWithWhatWouldBeValid() throws IOException {
    SpecException tile = assertThrows(SpecException.class, () -> BioimageioPackage.write(run, dir.resolve("a.zip"),
        BioimageioOptions.builder("Ada").tile(62).build()));
    assertTrue(tile.getMessage().contains("60") && tile.getMessage().contains("64"), tile.getMessage());

    Path rgb = dir.resolve("rgb.png");
    ImageIo.writePng(rgb, new Image(50, 50, 3, PixelType.UINT8, new float[50 * 50 * 3]));
    ModelMismatchException channels = assertThrows(ModelMismatchException.class, () -> BioimageioPackage.write(run,
        dir.resolve("b.zip"), BioimageioOptions.builder("Ada").testImage(rgb).build()));
    assertTrue(channels.getMessage().contains("3 channel(s) but the model reads 1"), channels.getMessage());

    Path small = dir.resolve("small.png");
    ImageIo.writePng(small, Image.gray(40, 50, PixelType.UINT8, new float[40 * 50]));
    ModelMismatchException tooSmall = assertThrows(ModelMismatchException.class, () -> BioimageioPackage.write(run,
        dir.resolve("c.zip"), BioimageioOptions.builder("Ada").testImage(small).build()));
    assertTrue(tooSmall.getMessage().contains("40x50") && tooSmall.getMessage().contains("at least 44x44"),
        tooSmall.getMessage());

    Path taken = Files.writeString(dir.resolve("taken.zip"), "mine");
    OutputFolderException exists = assertThrows(OutputFolderException.class,
        () -> BioimageioPackage.write(run, taken, BioimageioOptions.builder("Ada").build()));
    assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    assertEquals("mine", Files.readString(taken));

    SpecException license = assertThrows(SpecException.class,
        () -> BioimageioOptions.builder("Ada").license("my own licence").build());
    assertTrue(license.getMessage().startsWith("license: ") && license.getMessage().contains("SPDX"),
        license.getMessage());
    SpecException name = assertThrows(SpecException.class, () -> BioimageioOptions.builder("Ada").name("U/N").build());
    assertTrue(name.getMessage().contains("5 to 128"), name.getMessage());
    assertThrows(SpecException.class, () -> BioimageioOptions.builder(" ").build());
    assertFalse(Files.exists(dir.resolve("a.zip")) || Files.exists(dir.resolve("b.zip")));
  }

  /** A float32 .npy read by its own parser: header checked byte by byte, values little-endian. */
  private record NpyArray(long[] shape, float[] values) {
    private static final Pattern DICT = Pattern.compile(
        "\\{'descr': '<f4', 'fortran_order': False, 'shape': \\((\\d+(?:, \\d+)*,?)\\), \\} *\n");

    static NpyArray parse(byte[] file) {
      assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(file, 8),
          "magic and version 1.0");
      int headerLength = (file[8] & 0xff) | (file[9] & 0xff) << 8;
      assertEquals(0, (10 + headerLength) % 64, "the data starts at a multiple of 64 bytes");
      String header = new String(file, 10, headerLength, StandardCharsets.US_ASCII);
      Matcher m = DICT.matcher(header);
      assertTrue(m.matches(), header);
      long[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .mapToLong(Long::parseLong).toArray();
      int count = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
      assertEquals(10 + headerLength + 4L * count, file.length, "header plus 4 bytes per value");
      float[] values = new float[count];
      ByteBuffer.wrap(file, 10 + headerLength, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      return new NpyArray(shape, values);
    }
  }

  /** The runner's input, written here by hand so the writer under test is not involved. */
  private static byte[] npy(long[] shape, float[] values) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape[0] + ", " + shape[1] + ", " + shape[2]
        + ", " + shape[3] + "), }";
    String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
    ByteBuffer out = ByteBuffer.allocate(128 + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) (128 - 10))
        .put(header.getBytes(StandardCharsets.US_ASCII));
    out.asFloatBuffer().put(values);
    return out.array();
  }

  private static JsonNode rdf(Map<String, byte[]> files) throws IOException {
    return new YAMLMapper().readTree(files.get("rdf.yaml"));
  }

  /** Every object with a {@code source} and a {@code sha256}: the spec's file descriptions. */
  private static void collectFileDescriptions(JsonNode node, List<JsonNode> into) {
    if (node.isObject() && node.has("source") && node.has("sha256")) {
      into.add(node);
    }
    node.forEach(child -> collectFileDescriptions(child, into));
  }

  private static List<String> types(JsonNode axes) {
    List<String> types = new ArrayList<>();
    axes.forEach(a -> types.add(a.get("type").textValue()));
    return types;
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(a -> texts.add(a.textValue()));
    return texts;
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        files.put(e.getName(), in.readAllBytes());
      }
    }
    return files;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertMaxDiff(float[] expected, float[] actual, double tolerance) {
    assertEquals(expected.length, actual.length);
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(max <= tolerance, "max difference " + max + " > " + tolerance);
  }
}
