package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.augment.Tile;
import org.unet4j.augment.TileShape;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.FlipTransform;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Interpolation;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.labels.WeightMapCache;
import org.unet4j.recipes.data.AugmentationPreview;
import org.unet4j.recipes.data.Dataset;
import org.unet4j.recipes.data.DatasetTiles;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.TileDraw;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.Pictures;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.Batch;

class AugmentCommandTest {
  /** Depth 2 from 4 filters: tile 60 -> 20, the label crop at rows and columns 20..39. */
  private static final int TILE = 60;
  private static final int OUTPUT = 20;
  private static final int CROP = 20;
  private static final int SIZE = 96;
  private static final int BATCH = 2;
  private static final int SEED = 5;
  private static final int GAP = AugmentationPreview.GAP;

  @TempDir Path dir;

  /** Three 96x96 images with bright discs and their colour-coded masks. */
  @BeforeEach
  void data() {
    long[] seeds = {11, 12, 13};
    for (int i = 0; i < seeds.length; i++) {
      writeDiscs(dir.resolve("data"), "img" + i, seeds[i]);
    }
  }

  private static void writeDiscs(Path folder, String name, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    float[] image = new float[SIZE * SIZE];
    float[] mask = new float[SIZE * SIZE];
    for (int d = 0; d < 4; d++) {
      double cx = 10 + random.nextDouble() * (SIZE - 20);
      double cy = 10 + random.nextDouble() * (SIZE - 20);
      double r = 5 + random.nextDouble() * 10;
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
            mask[y * SIZE + x] = 1 + d;
          }
        }
      }
    }
    for (int p = 0; p < image.length; p++) {
      image[p] = (float) Math.max(0, Math.round((mask[p] > 0 ? 3000 : 400) + 150 * random.nextGaussian()));
    }
    ImageIo.writeTiff(folder.resolve("images/" + name + ".tif"), Image.gray(SIZE, SIZE, PixelType.UINT16, image));
    ImageIo.writePng(folder.resolve("masks/" + name + ".png"), Image.gray(SIZE, SIZE, PixelType.UINT8, mask));
  }

  private static Recipe recipe(AugmentationSpec augmentation) {
    return new Recipe("tiny-data", "", UNet.builder().depth(2).baseFilters(4).build(),
        WeightedCrossEntropyLoss.paper(), augmentation,
        new TrainingSpec(AdamOptimizer.defaults(), 0.01, new ConstantSchedule(), 0, 6, BATCH, TILE, SEED, 3, 3),
        new DataSpec("data/images", "data/masks", LabelFormat.COLOR_COMPONENTS, NormalizationSpec.percentile(), 0),
        new InferenceSpec(TILE, 1, TestTimeAugmentation.NONE, 0.5, 0, false));
  }

  private Path recipeFile(AugmentationSpec augmentation) throws IOException {
    Path file = dir.resolve("tiny.json");
    Files.writeString(file, Recipes.toJson(recipe(augmentation)));
    return file;
  }

  private static BufferedImage read(Path png) throws IOException {
    return ImageIO.read(png.toFile());
  }

  @Test
  void writesOneRowPerTileAndSaysWhere() throws IOException {
    Path out = dir.resolve("sheet");
    CliRun r = CliRun.of("augment", recipeFile(AugmentationSpec.paper()).toString(), "--count", "3", "--out",
        out.toString());
    assertEquals(0, r.status(), r.err());
    Path sheet = out.resolve("augment-contact-sheet.png");
    assertTrue(r.out().contains("contact sheet " + sheet.toAbsolutePath()), r.out());
    assertTrue(r.out().startsWith("tiny-data: 3 augmented training tiles of seed 5 (batch 2, 3 training images),"
        + " tile 60 -> labels 20"), r.out());
    assertTrue(r.out().contains("row  3  step 1 slot 0  img"), r.out());
    BufferedImage picture = read(sheet);
    assertEquals(3 * TILE + 4 * GAP, picture.getWidth());
    assertEquals(3 * TILE + 4 * GAP, picture.getHeight());
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
    String recipe = recipeFile(AugmentationSpec.paper()).toString();
    List<byte[]> sheets = new ArrayList<>();
    for (String[] run : new String[][] {{"a", "9"}, {"b", "9"}, {"c", "10"}}) {
      Path out = dir.resolve(run[0]);
      CliRun r = CliRun.of("augment", recipe, "--count", "4", "--out", out.toString(), "--seed", run[1]);
      assertEquals(0, r.status(), r.err());
      sheets.add(Files.readAllBytes(out.resolve(AugmentationPreview.SHEET)));
    }
    assertArrayEquals(sheets.get(0), sheets.get(1));
    assertFalse(Arrays.equals(sheets.get(0), sheets.get(2)));
  }

  /**
   * Every row shows the tile training feeds at that step and slot: the tiles of the command's draws
   * are DatasetTiles' batches, and the sheet's labels and weights panels are those tiles' labels and
   * weights, the image panel their image wherever no grid line covers it.
   */
  @Test
  void rowsAreTheTilesTrainingDraws() throws IOException {
    Recipe recipe = recipe(AugmentationSpec.paper());
    Dataset dataset = Dataset.open(recipe, dir);
    List<Sample> samples = dataset.load(dataset.training(), WeightMapCache.inMemory(1 << 24), 2);
    Augmenter augmenter = Augmenter.of(recipe.augmentation());
    DatasetTiles tiles = new DatasetTiles(samples, augmenter, TILE, OUTPUT, BATCH, SEED);
    int count = 5;
    List<Tile> expected = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      Batch batch = tiles.batch(n / BATCH);
      int slot = n % BATCH;
      TileDraw draw = TileDraw.nth(SEED, BATCH, samples.size(), n);
      Tile tile = augmenter.randomTile(samples.get(draw.sample()), TileShape.square(TILE, OUTPUT), draw.seed());
      assertArrayEquals(Arrays.copyOfRange(batch.images(), slot * TILE * TILE, (slot + 1) * TILE * TILE),
          tile.image(), "image of tile " + n);
      assertArrayEquals(Arrays.copyOfRange(batch.labels(), slot * OUTPUT * OUTPUT, (slot + 1) * OUTPUT * OUTPUT),
          tile.labels(), "labels of tile " + n);
      assertArrayEquals(Arrays.copyOfRange(batch.weights(), slot * OUTPUT * OUTPUT, (slot + 1) * OUTPUT * OUTPUT),
          tile.weights(), "weights of tile " + n);
      expected.add(tile);
    }

    Path out = dir.resolve("sheet");
    CliRun r = CliRun.of("augment", recipeFile(AugmentationSpec.paper()).toString(), "--count",
        Integer.toString(count), "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    BufferedImage sheet = read(out.resolve(AugmentationPreview.SHEET));
    float maxWeight = 0;
    for (Tile tile : expected) {
      for (float w : tile.weights()) {
        maxWeight = Math.max(maxWeight, w);
      }
    }
    for (int n = 0; n < count; n++) {
      Tile tile = expected.get(n);
      int top = GAP + n * (TILE + GAP);
      int labelsLeft = GAP + TILE + GAP;
      int weightsLeft = GAP + 2 * (TILE + GAP);
      for (int i = 0; i < OUTPUT; i++) {
        for (int j = 0; j < OUTPUT; j++) {
          int label = tile.labels()[i * OUTPUT + j];
          assertEquals(label == 0 ? 0x000000 : 0xE69F00, rgb(sheet, labelsLeft + CROP + j, top + CROP + i),
              "label colour of tile " + n + " at " + i + "," + j);
          assertEquals(Pictures.viridis(tile.weights()[i * OUTPUT + j] / maxWeight),
              rgb(sheet, weightsLeft + CROP + j, top + CROP + i), "weight colour of tile " + n + " at " + i + "," + j);
        }
      }
      assertEquals(AugmentationPreview.OUTSIDE_CROP_RGB, rgb(sheet, labelsLeft, top), "no labels outside the crop");
      assertEquals(AugmentationPreview.OUTSIDE_CROP_RGB, rgb(sheet, weightsLeft + TILE - 1, top + TILE - 1));

      // The image panel: the 1st and 99th percentile as black and white, by nearest rank over
      // the 3600 values: index round(0.01 * 3599) = 36 and round(0.99 * 3599) = 3563.
      float[] sorted = tile.image().clone();
      Arrays.sort(sorted);
      double low = sorted[36];
      double high = sorted[3563];
      int gray = 0;
      for (int y = 0; y < TILE; y++) {
        for (int x = 0; x < TILE; x++) {
          int c = rgb(sheet, GAP + x, top + y);
          int red = c >> 16;
          if (red == (c & 0xFF) && red == ((c >> 8) & 0xFF)) {
            double value = Math.max(0, Math.min(255, 255 * (tile.image()[y * TILE + x] - low) / (high - low)));
            // A pixel grazed by a grid line can round to gray a shade darker.
            assertEquals(value, red, 1.01, "image of tile " + n + " at " + y + "," + x);
            gray++;
          }
        }
      }
      // A 5 px grid on a 60 px tile, anti-aliased where warped, leaves about a third uncovered.
      assertTrue(gray > TILE * TILE / 5, "a fifth of the image is uncovered: " + gray);
    }
  }

  /**
   * Without deformation the grid is regular: tile 60 has its centre at 29.5 and a 5 px spacing
   * (60 / 12), so lines at 29.5 +- 2.5, +- 7.5, ...: columns and rows 2, 7, ..., 57. Mirrors and
   * quarter turns about the centre leave it where it is.
   */
  @ParameterizedTest
  @ValueSource(strings = {"none", "dihedral"})
  void gridIsRegularWithoutDeformation(String flips) throws IOException {
    AugmentationSpec augmentation = flips.equals("none") ? AugmentationSpec.none()
        : new AugmentationSpec(List.of(new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL)), Interpolation.BICUBIC);
    Path out = dir.resolve("sheet");
    CliRun r = CliRun.of("augment", recipeFile(augmentation).toString(), "--count", "4", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    BufferedImage sheet = read(out.resolve(AugmentationPreview.SHEET));
    for (int n = 0; n < 4; n++) {
      int top = GAP + n * (TILE + GAP);
      for (int y = 0; y < TILE; y++) {
        for (int x = 0; x < TILE; x++) {
          boolean outline = (y == CROP - 1 || y == CROP + OUTPUT) && x >= CROP - 1 && x <= CROP + OUTPUT
              || (x == CROP - 1 || x == CROP + OUTPUT) && y >= CROP - 1 && y <= CROP + OUTPUT;
          int c = rgb(sheet, GAP + x, top + y);
          if (outline) {
            assertEquals(AugmentationPreview.CROP_RGB, c, "crop outline at " + y + "," + x);
          } else {
            boolean line = y % 5 == 2 || x % 5 == 2;
            boolean cyan = (c & 0xFF) > (c >> 16) + 100;
            assertEquals(line, cyan, "tile " + n + " at " + y + "," + x + ": " + Integer.toHexString(c));
          }
        }
      }
    }
  }

  @Test
  void elasticDeformationBendsTheGrid() throws IOException {
    AugmentationSpec elastic = new AugmentationSpec(List.of(ElasticTransform.paper()), Interpolation.BICUBIC);
    Path out = dir.resolve("sheet");
    CliRun r = CliRun.of("augment", recipeFile(elastic).toString(), "--count", "2", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    BufferedImage sheet = read(out.resolve(AugmentationPreview.SHEET));
    for (int n = 0; n < 2; n++) {
      int top = GAP + n * (TILE + GAP);
      int offLines = 0;
      int covered = 0;
      for (int y = 0; y < TILE; y++) {
        for (int x = 0; x < TILE; x++) {
          int c = rgb(sheet, GAP + x, top + y);
          if ((c & 0xFF) > (c >> 16) + 100) {
            covered++;
            offLines += y % 5 != 2 && x % 5 != 2 ? 1 : 0;
          }
        }
      }
      // A regular grid of 5 px covers 1 - (4/5)^2 = 36% of the tile; deformed lines stay about as
      // long but leave the regular positions.
      assertTrue(covered > TILE * TILE / 5, "tile " + n + ": grid covers " + covered);
      assertTrue(offLines > covered / 4, "tile " + n + ": " + offLines + " of " + covered + " grid pixels moved");
    }
  }

  /** Run from this module's folder, the bundled data lies in ../data: named with --set, relative to here. */
  @Test
  void bundledRecipeReadsTheBundledData() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("../data/bbbc039/train/images")), "bundled data present");
    Path out = dir.resolve("nuclei");
    CliRun r = CliRun.of("augment", "nuclei-demo", "--count", "1", "--out", out.toString(),
        "--set", "data.images=../data/bbbc039/train/images", "--set", "data.labels=../data/bbbc039/train/masks");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("nuclei-demo: 1 augmented training tile of seed 42 (batch 4, 40 training"
        + " images), tile 252 -> labels 164"), r.out());
    BufferedImage sheet = read(out.resolve(AugmentationPreview.SHEET));
    assertEquals(3 * 252 + 4 * GAP, sheet.getWidth());
    assertEquals(252 + 2 * GAP, sheet.getHeight());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65})
  void countOutOfRangeIsAOneLineError(int count) throws IOException {
    CliRun r = CliRun.of("augment", recipeFile(AugmentationSpec.paper()).toString(), "--count",
        Integer.toString(count), "--out", dir.resolve("sheet").toString());
    assertUserError(r, "unet4j augment: --count " + count + ": draw 1 to 64 tiles per sheet");
    assertFalse(Files.exists(dir.resolve("sheet")));
  }

  @Test
  void missingDataIsAOneLineError() throws IOException {
    Path recipe = recipeFile(AugmentationSpec.paper());
    Files.writeString(recipe, Files.readString(recipe).replace("data/masks", "data/labels"));
    CliRun r = CliRun.of("augment", recipe.toString(), "--count", "2", "--out", dir.resolve("sheet").toString());
    assertUserError(r, "unet4j augment: data.labels: \"" + dir.resolve("data/labels") + "\" does not exist (looked for "
        + dir.resolve("data/labels") + ")");
  }

  @Test
  void recipeWithoutDataIsAOneLineError() throws IOException {
    Path recipe = dir.resolve("no-data.json");
    Recipe withData = recipe(AugmentationSpec.paper());
    Files.writeString(recipe, Recipes.toJson(new Recipe(withData.name(), "", withData.model(), withData.loss(),
        withData.augmentation(), withData.training(), DataSpec.none(), withData.inference())));
    CliRun r = CliRun.of("augment", recipe.toString(), "--count", "2", "--out", dir.resolve("sheet").toString());
    assertEquals(Unet4j.USAGE, r.status());
    assertTrue(r.err().startsWith("unet4j augment: data.images: empty; the recipe names no files here."), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void unwritableOutputIsAOneLineError() throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "a file, not a folder");
    CliRun r = CliRun.of("augment", recipeFile(AugmentationSpec.paper()).toString(), "--count", "1", "--out",
        file.toString());
    assertEquals(Unet4j.USAGE, r.status());
    assertTrue(r.err().startsWith("unet4j augment: cannot write " + file.resolve(AugmentationPreview.SHEET) + ": "),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void badOverrideNamesThePath() throws IOException {
    CliRun r = CliRun.of("augment", recipeFile(AugmentationSpec.paper()).toString(), "--count", "1", "--out",
        dir.resolve("sheet").toString(), "--set", "training.tile=61");
    assertEquals(Unet4j.USAGE, r.status());
    assertTrue(r.err().startsWith("unet4j augment: --set training.tile: tile 61 does not fit the model"), r.err());
  }

  private static void assertUserError(CliRun r, String message) {
    assertEquals(Unet4j.USAGE, r.status(), r.err());
    assertEquals(message, r.err().strip());
    assertNotEquals(0, r.err().length());
  }

  private static int rgb(BufferedImage picture, int x, int y) {
    return picture.getRGB(x, y) & 0xFFFFFF;
  }
}
