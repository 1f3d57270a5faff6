package org.unet4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.cli.Unet4j;

/**
 * The guide's pictures are what the commands its pages state draw today: each is made again with
 * its command on the bundled data and compared with the committed PNG, pixel by pixel. With
 * {@code -Dunet4j.docs.write=true} the committed pictures are replaced instead.
 */
class GuidePicturesTest {
  /** Colour levels a channel may differ by (float rounding of a different JVM's math intrinsics). */
  private static final int TOLERANCE = 2;
  /** Fraction of pixels that may differ by up to {@link #TOLERANCE}. */
  private static final double DIFFERING = 0.001;

  @TempDir Path dir;

  /**
   * One picture: the page that shows it, the committed PNG, the command exactly as the page writes
   * it (run from the repository root; continuation lines joined) and the name of the PNG the command
   * writes. The test runs the command with the values of {@code --out} and {@code --png} moved into
   * a folder of its own.
   */
  record Picture(String page, String image, String command, String written) {
    @Override
    public String toString() {
      return image;
    }
  }

  static Stream<Arguments> pictures() {
    return Stream.of(
        new Picture("docs/guide/weight-map.md", "docs/guide/images/weight-map-nuclei.png",
            "./unet4j weight-map data/bbbc039/train/masks/IXMtest_A02_s1_w1051DAA7C-7042-435F-99F0-1E847D9B42CB.png"
                + " --out weights.tif --png docs/guide/images/weight-map-nuclei.png", "weight-map-nuclei.png"),
        new Picture("docs/guide/augmentation.md", "docs/guide/images/augment-nuclei-demo.png",
            "./unet4j augment nuclei-demo --count 2 --seed 3 --out sheet", "augment-contact-sheet.png"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pictures")
  void pictureIsWhatItsCommandDraws(Picture picture) throws IOException {
    Path root = GuideFiles.root();
    String page = Files.readString(root.resolve(picture.page()), StandardCharsets.UTF_8)
        .replaceAll("\\\\\\n\\s*", "");
    assertTrue(page.contains(picture.command()), () -> picture.page() + " does not show the command that makes "
        + picture.image() + ": " + picture.command());

    String[] words = picture.command().split(" ");
    List<String> args = new ArrayList<>();
    for (int i = 1; i < words.length; i++) {
      String word = words[i];
      if (i > 1 && (words[i - 1].equals("--out") || words[i - 1].equals("--png"))) {
        args.add(word.contains(".") ? dir.resolve(Path.of(word).getFileName()).toString() : dir.toString());
      } else {
        args.add(word.startsWith("data/") ? root.resolve(word).toString() : word);
      }
    }
    StringWriter printed = new StringWriter();
    PrintWriter both = new PrintWriter(printed, true);
    String home = System.getProperty("unet4j.home");
    System.setProperty("unet4j.home", root.toString());
    int status;
    try {
      status = Unet4j.run(args.toArray(new String[0]), both, both);
    } finally {
      if (home == null) {
        System.clearProperty("unet4j.home");
      } else {
        System.setProperty("unet4j.home", home);
      }
    }
    assertEquals(0, status, () -> picture.command() + " failed:\n" + printed);

    Path drawn = dir.resolve(picture.written());
    Path committed = root.resolve(picture.image());
    if (Boolean.getBoolean("unet4j.docs.write")) {
      Files.createDirectories(committed.getParent());
      Files.copy(drawn, committed, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    assertTrue(Files.isRegularFile(committed), () -> committed + " is missing; make it with -Dunet4j.docs.write=true");
    String difference = compare(ImageIO.read(committed.toFile()), ImageIO.read(drawn.toFile()));
    assertEquals("", difference, () -> picture.image() + " is not what `" + picture.command() + "` draws now: "
        + difference + ". If the change is intended, replace the picture with\n  "
        + RecipeReference.REGENERATE.replace("RecipeReferenceTest", "GuidePicturesTest"));
  }

  /** Empty when the pictures agree within the tolerance, else what differs. */
  static String compare(BufferedImage expected, BufferedImage actual) {
    if (expected.getWidth() != actual.getWidth() || expected.getHeight() != actual.getHeight()) {
      return "the size changed from " + expected.getWidth() + "x" + expected.getHeight() + " to "
          + actual.getWidth() + "x" + actual.getHeight();
    }
    long differing = 0;
    int worst = 0;
    for (int y = 0; y < expected.getHeight(); y++) {
      for (int x = 0; x < expected.getWidth(); x++) {
        int a = expected.getRGB(x, y);
        int b = actual.getRGB(x, y);
        int most = 0;
        for (int shift = 0; shift < 32; shift += 8) {
          most = Math.max(most, Math.abs(((a >>> shift) & 0xff) - ((b >>> shift) & 0xff)));
        }
        if (most > 0) {
          differing++;
          worst = Math.max(worst, most);
        }
      }
    }
    long pixels = (long) expected.getWidth() * expected.getHeight();
    if (worst > TOLERANCE || differing > DIFFERING * pixels) {
      return differing + " of " + pixels + " pixels differ, by up to " + worst + " colour levels";
    }
    return "";
  }
}
