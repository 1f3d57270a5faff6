package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.Pictures;
import org.unet4j.recipes.data.PixelType;

class WeightMapCommandTest {
  private static final int W = 40;
  private static final int H = 30;
  private static final String BBBC039_MASK =
      "data/bbbc039/masks/IXMtest_C02_s4_w1661FF37C-AB9B-4038-BDF3-D21DFD2811BE.png";

  @TempDir Path dir;

  /**
   * A 40x30 colour-coded mask: squares A (x 5..9, y 5..9, value 1) and B (x 10..14, same rows,
   * value 2) touch along x = 9|10; C (x 25..29, value 1) stands apart. Under color-components the
   * three are separate cells. The separation border takes column 9 from A and column 10 from B
   * (each pixel there has an 8-neighbour in the other cell), so afterwards A is x 5..8 and B is
   * x 11..14: 20 + 20 + 25 = 65 foreground pixels of 1200, 10 border pixels.
   */
  private Path mask() {
    float[] labels = new float[W * H];
    for (int y = 5; y <= 9; y++) {
      for (int x = 5; x <= 9; x++) {
        labels[y * W + x] = 1;
      }
      for (int x = 10; x <= 14; x++) {
        labels[y * W + x] = 2;
      }
      for (int x = 25; x <= 29; x++) {
        labels[y * W + x] = 1;
      }
    }
    Path mask = dir.resolve("mask.png");
    ImageIo.writePng(mask, Image.gray(W, H, PixelType.UINT8, labels));
    return mask;
  }

  /** Eq. 2 on a background pixel at distances d1, d2 from the two nearest cells. */
  private static double eq2(double wc, double w0, double sigma, double d1, double d2) {
    return wc + w0 * Math.exp(-(d1 + d2) * (d1 + d2) / (2 * sigma * sigma));
  }

  @Test
  void weightsFollowEquationTwoOnAHandMadeMask() {
    Path out = dir.resolve("w.tif");
    Path png = dir.resolve("w.png");
    CliRun run = CliRun.of("weight-map", mask().toString(), "--out", out.toString(), "--png", png.toString());
    assertEquals(0, run.status(), run.err());

    // Inverse-frequency class balance over the separated classes: N / (2 * count).
    double wcBackground = 1200.0 / (2 * 1135);
    double wcCell = 1200.0 / (2 * 65);
    Image w = ImageIo.read(out);
    assertEquals(PixelType.FLOAT32, w.type());
    assertEquals(W, w.width());
    assertEquals(H, w.height());
    assertAll(
        // On the border: 1 px from A's remaining column 8, 2 px from B's column 11 (nuclei-demo:
        // w0 = 10, sigma = 5), so w_c + 10 exp(-9/50); the mirror pixel the same.
        () -> assertEquals(wcBackground + 10 * Math.exp(-9.0 / 50), w.get(9, 7, 0), 1e-5),
        () -> assertEquals(eq2(wcBackground, 10, 5, 1, 2), w.get(10, 7, 0), 1e-5),
        // Above the border, diagonal to A's corner (8, 5) and to B's corner (11, 5).
        () -> assertEquals(eq2(wcBackground, 10, 5, Math.sqrt(2), Math.sqrt(5)), w.get(9, 4, 0), 1e-5),
        // Between B and C: 5 px to C (x = 25), 6 px to B (x = 14).
        () -> assertEquals(eq2(wcBackground, 10, 5, 5, 6), w.get(20, 7, 0), 1e-5),
        // Inside a cell: w_c alone.
        () -> assertEquals(wcCell, w.get(6, 7, 0), 1e-5),
        () -> assertEquals(wcCell, w.get(27, 7, 0), 1e-5),
        // Far corner: d1 + d2 > 40, the term is below 1e-16.
        () -> assertEquals(wcBackground, w.get(0, 29, 0), 1e-6));

    String line = run.out().strip();
    assertFalse(line.contains("\n"), "one line: " + line);
    assertAll(
        () -> assertTrue(line.contains("(40x30): 3 cells, 10 border pixels"), line),
        () -> assertTrue(line.contains("weight min 0.529 "), line),
        () -> assertTrue(line.contains("max 9.231 "), line),
        () -> assertTrue(line.contains("(w0 10, sigma 5 px, inverse-frequency)"), line),
        () -> assertTrue(line.matches(".* in \\d+\\.\\d\\d s"), line));

    Image picture = ImageIo.read(png);
    assertEquals(W, picture.width());
    assertEquals(3, picture.channels(), "RGB");
    assertAll(
        () -> assertEquals(0xFF0000, rgb(picture, 9, 7), "separation border in red"),
        () -> assertEquals(0xFF0000, rgb(picture, 10, 5), "separation border in red"),
        () -> assertEquals(Pictures.viridis(1), rgb(picture, 6, 7), "the largest weight at the top of the scale"),
        () -> assertEquals(Pictures.viridis(wcBackground / wcCell), rgb(picture, 0, 29)));
  }

  @Test
  void combinedLossUsesItsWeightedCrossEntropyTerm() throws IOException {
    Path recipe = recipe("combined.json", "loss={\"type\":\"combined\",\"terms\":["
        + "{\"weight\":0.5,\"loss\":{\"type\":\"dice\"}},"
        + "{\"weight\":1,\"loss\":{\"type\":\"weighted-cross-entropy\",\"w0\":20,\"sigma\":3,"
        + "\"classBalance\":\"none\"}}]}");
    Path out = dir.resolve("w.tif");
    CliRun run = CliRun.of("weight-map", mask().toString(), "--out", out.toString(), "--recipe", recipe.toString());
    assertEquals(0, run.status(), run.err());
    Image w = ImageIo.read(out);
    assertEquals(eq2(1, 20, 3, 1, 2), w.get(9, 7, 0), 1e-5);
    assertEquals(1, w.get(6, 7, 0));
    assertTrue(run.out().contains("(w0 20, sigma 3 px, none)"), run.out());
  }

  @Test
  void bbbc039MaskFindsTheNuclei() throws IOException {
    // A file of its own: the runtime's test resources may come in a jar.
    Path mask = dir.resolve("bbbc039-mask.png");
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(BBBC039_MASK)) {
      Files.copy(in, mask);
    }
    Path out = dir.resolve("bbbc.tif");
    Path png = dir.resolve("bbbc.png");
    CliRun run = CliRun.of("weight-map", mask.toString(), "--out", out.toString(), "--png", png.toString());
    assertEquals(0, run.status(), run.err());
    // 49 nuclei: the 4-connected components of each red value, counted independently (a flood
    // fill in Python over the PNG's decoded red channel).
    assertTrue(run.out().contains("(696x520): 49 cells, "), run.out());
    Matcher borders = Pattern.compile("(\\d+) border pixels").matcher(run.out());
    assertTrue(borders.find(), run.out());
    assertTrue(Integer.parseInt(borders.group(1)) > 0, "some nuclei touch: " + run.out());
    Matcher mean = Pattern.compile("mean (\\d+\\.\\d+)").matcher(run.out());
    assertTrue(mean.find(), run.out());
    // w_c averages to exactly 1 over the image; the border term only adds.
    assertTrue(Double.parseDouble(mean.group(1)) >= 1.0, run.out());
    Image w = ImageIo.read(out);
    assertEquals(696, w.width());
    assertEquals(520, w.height());
    assertEquals(PixelType.FLOAT32, w.type());
    assertEquals(696, ImageIo.read(png).width());
  }

  @Test
  void missingMask() {
    Path missing = dir.resolve("missing.png");
    CliRun run = CliRun.of("weight-map", missing.toString(), "--out", dir.resolve("w.tif").toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j weight-map: " + missing + ": no such file", run.err().strip());
    assertFalse(Files.exists(dir.resolve("w.tif")));
  }

  @Test
  void labelFormatThatDoesNotFitTheMask() throws IOException {
    Path recipe = recipe("binary.json", "data.labelFormat=binary");
    CliRun run = CliRun.of("weight-map", mask().toString(), "--out", dir.resolve("w.tif").toString(),
        "--recipe", recipe.toString());
    assertEquals(Unet4j.USAGE, run.status());
    String err = run.err().strip();
    assertFalse(err.contains("\n"), "one line, no stack trace: " + err);
    assertTrue(err.startsWith("unet4j weight-map: " + dir.resolve("mask.png") + ": BINARY labels hold 0"
        + " (background) and one foreground value, but this image has 2 foreground values: 1, 2."), err);
    assertTrue(err.endsWith("(data.labelFormat is binary in recipe nuclei-demo)"), err);
  }

  @Test
  void recipeWithoutWeightMap() throws IOException {
    Path recipe = recipe("dice.json", "loss={\"type\":\"dice\"}");
    CliRun run = CliRun.of("weight-map", mask().toString(), "--out", dir.resolve("w.tif").toString(),
        "--recipe", recipe.toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j weight-map: recipe nuclei-demo trains with the dice loss, which has no weight map; the"
        + " weight map belongs to the weighted-cross-entropy loss (alone or in a combined loss)",
        run.err().strip());
  }

  @Test
  void unknownRecipe() {
    CliRun run = CliRun.of("weight-map", mask().toString(), "--out", dir.resolve("w.tif").toString(),
        "--recipe", "nuclei-dem");
    assertEquals(Unet4j.USAGE, run.status());
    String err = run.err().strip();
    assertFalse(err.contains("\n"), err);
    assertTrue(err.startsWith("unet4j weight-map: no recipe file or bundled recipe named \"nuclei-dem\"; did you"
        + " mean \"nuclei-demo\"?"), err);
  }

  @Test
  void outputMustBeATiff() {
    CliRun run = CliRun.of("weight-map", mask().toString(), "--out", dir.resolve("w.png").toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j weight-map: --out " + dir.resolve("w.png") + ": name it .tif or .tiff (the weight map is a"
        + " 32-bit float TIFF; use --png for a picture)", run.err().strip());
  }

  @Test
  void textFileAsMask() throws IOException {
    Path text = dir.resolve("mask.tif");
    Files.writeString(text, "not a mask");
    CliRun run = CliRun.of("weight-map", text.toString(), "--out", dir.resolve("w.tif").toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j weight-map: " + text + ": is not a TIFF file: it holds text (starting \"not a mask\")",
        run.err().strip());
  }

  @Test
  void pageBeyondTheStack() {
    CliRun run = CliRun.of("weight-map", mask().toString(), "--out", dir.resolve("w.tif").toString(), "--page", "2");
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j weight-map: --page 2: " + dir.resolve("mask.png") + " has 1 page", run.err().strip());
  }

  @Test
  void pageOfAStack() {
    Image empty = Image.gray(W, H, PixelType.UINT8, new float[W * H]);
    Path stack = dir.resolve("stack.tif");
    ImageIo.writeTiffPages(stack, List.of(empty, ImageIo.read(mask())));
    Path out = dir.resolve("w.tif");
    CliRun run = CliRun.of("weight-map", stack.toString(), "--out", out.toString(), "--page", "2");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("(40x30, page 2): 3 cells, 10 border pixels"), run.out());
  }

  private Path recipe(String name, String override) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, Recipes.toJson(Recipes.withOverrides(Recipes.load("nuclei-demo"), List.of(override))));
    return file;
  }

  private static int rgb(Image picture, int x, int y) {
    return (int) picture.get(x, y, 0) << 16 | (int) picture.get(x, y, 1) << 8 | (int) picture.get(x, y, 2);
  }
}
