package org.unet4j.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.Interpolation;

/**
 * The paper's elastic deformation (Sec. 3.1) as a map: does it fold, is zero deformation the
 * identity, and does a known displacement move a drawn point where the definition says.
 *
 * <p>A warp is stored backwards, output pixel p to source point p + d(p); it folds where the
 * Jacobian determinant of that map, det(I + grad d), is not positive: there the source would be
 * read in reverse, or two output regions would show the same source. Only the elastic part can fold:
 * rotations, shifts and zoom are affine with det = 1 / zoom^2 everywhere, and mirrors have det -1
 * everywhere (the image is reversed, but smoothly, without creases).
 */
class ElasticFoldTest {
  /** Half-width of the central differences at one point, in pixels (the field is cubic between nodes). */
  private static final double H = 0.5;

  /**
   * Paper settings (3x3 grid, sigma 10 px) never fold, on the paper's tile 572 nor on nuclei-demo's
   * 252. Measured with the determinant every 4 px (central differences at each point): no fold in
   * 20,000 fields at 572 (smallest determinant 0.68, median of the per-field minima 0.89) nor in
   * 100,000 at 252 (smallest 0.24, median 0.74). The nodes lie (size - 1) / 2 px apart, so the
   * gradient grows as sigma / spacing (0.035 at 572, 0.08 at 252); a fold needs neighbouring nodes
   * to differ by most of a spacing.
   */
  @ParameterizedTest(name = "tile {0}, {1} fields, every {2} px")
  @CsvSource({"572, 120, 2", "252, 600, 2"})
  void paperDeformationsDoNotFold(int size, int fields, int step) {
    Augmenter augmenter = elastic(ElasticTransform.paper());
    TileShape shape = TileShape.square(size, size);
    double[] minima = new double[fields];
    int folded = 0;
    for (int seed = 0; seed < fields; seed++) {
      Warp warp = augmenter.warp(shape, seed);
      minima[seed] = minDeterminant(warp, size, step);
      folded += minima[seed] <= 0 ? 1 : 0;
    }
    Arrays.sort(minima);
    System.out.printf(Locale.ROOT, "tile %d, %d paper deformations: %d folded; smallest det %.3f, median of the"
        + " per-field minima %.3f%n", size, fields, folded, minima[0], minima[fields / 2]);
    assertEquals(0, folded, "fields with a fold");
    assertTrue(minima[0] > 0, "smallest determinant " + minima[0]);
  }

  /**
   * Twice the paper's sigma on a 252 tile does fold, rarely: measured 35 of 10,000 fields (0.35%),
   * 7 of these 2,000 every 4 px (8 every 2 px: some folds are only a few pixels wide); at 572 the
   * first folds appear near sigma 40 (2 of 5,000). Folds are where the field turns the image
   * inside out, so a larger sigma for small tiles is better bought with a finer grid.
   */
  @Test
  void twiceThePapersSigmaFoldsRarelyOnTile252() {
    Augmenter augmenter = elastic(new ElasticTransform(1, 3, 20));
    TileShape shape = TileShape.square(252, 252);
    int fields = 2000;
    int folded = 0;
    for (int seed = 0; seed < fields; seed++) {
      folded += minDeterminant(augmenter.warp(shape, seed), 252, 4) <= 0 ? 1 : 0;
    }
    System.out.printf(Locale.ROOT, "tile 252, sigma 20: %d of %d fields folded%n", folded, fields);
    assertTrue(folded > 0, "the detector finds the rare folds");
    assertTrue(folded < fields / 100, folded + " of " + fields + " folded, over 1%");
  }

  /**
   * The fold detector on a hand-made fold: a 2x2 lattice on a 101x101 tile pulling the left column
   * +60 px and the right column -60 px in x. With repeated border nodes the Catmull-Rom spline on
   * the one cell is d(x) = 60 - 120 (-t^3 + 1.5 t^2 + 0.5 t), t = x / 100, so the determinant is
   * 1 + d'(x) = 1 - 1.2 (-3 t^2 + 3 t + 0.5): 0.229 at x = 5, -0.5 at x = 50, and not positive for
   * t between (3 - sqrt 5) / 6 and (3 + sqrt 5) / 6, i.e. x = 13..87 on whole pixels, 75 of 101.
   */
  @Test
  void detectsAHandMadeFold() {
    ElasticField field = ElasticField.of(2, 101, 101, new double[4], new double[] {60, -60, 60, -60});
    Warp warp = Warp.identity().elastic(field);
    assertEquals(1 - 1.2 * (-3 * 0.0025 + 3 * 0.05 + 0.5), determinant(warp, 101, 101, 30, 5), 1e-4);
    assertEquals(-0.5, determinant(warp, 101, 101, 30, 50), 1e-4);
    for (int y : new int[] {0, 50, 100}) {
      int folded = 0;
      for (int x = 0; x < 101; x++) {
        folded += determinant(warp, 101, 101, y, x) <= 0 ? 1 : 0;
      }
      assertEquals(75, folded, "row " + y);
    }
    assertTrue(minDeterminant(warp, 101, 2) < 0);
  }

  /** Zero deformation reproduces the untouched crop bit for bit, for odd, even and the smallest tiles. */
  @ParameterizedTest(name = "{0}x{1} sample, tile {2}/{3}")
  @CsvSource({"300, 280, 252, 164", "40, 33, 21, 5", "7, 7, 5, 5", "3, 2, 1, 1"})
  void zeroSigmaIsExactlyTheIdentity(int height, int width, int tileSize, int labelSize) {
    Sample sample = TestImages.random(height, width, 2, 17);
    TileShape shape = TileShape.square(tileSize, labelSize);
    Augmenter zero = elastic(new ElasticTransform(1, 3, 0));
    Augmenter none = Augmenter.of(AugmentationSpec.none());
    for (long seed = 0; seed < 5; seed++) {
      Warp warp = zero.warp(shape, seed);
      double centre = (tileSize - 1) / 2.0;
      double[] p = new double[2];
      for (int y = 0; y < tileSize; y++) {
        for (int x = 0; x < tileSize; x++) {
          p[0] = y - centre;
          p[1] = x - centre;
          warp.mapCentred(p);
          assertEquals(y - centre, p[0], 0.0);
          assertEquals(x - centre, p[1], 0.0);
        }
      }
      int top = (int) (seed % 3) - 1;
      int left = (int) (seed % 2);
      Tile deformed = zero.tile(sample, shape, top, left, seed);
      Tile identity = none.tile(sample, shape, top, left, seed);
      assertArrayEquals(identity.image(), deformed.image());
      assertArrayEquals(identity.labels(), deformed.labels());
      assertArrayEquals(identity.weights(), deformed.weights());
    }
  }

  /**
   * A constant field moves everything by the same amount: output pixel p shows source p + d, so a
   * point drawn at source (40, 30) with d = (3, -5) appears at output (37, 35), and only there.
   */
  @Test
  void constantDisplacementMovesADrawnPoint() {
    double[] dy = new double[9];
    double[] dx = new double[9];
    Arrays.fill(dy, 3);
    Arrays.fill(dx, -5);
    assertDrawnPointMoves(ElasticField.of(3, 64, 72, dy, dx), 64, 72, 40, 30, 37, 35);
  }

  /**
   * A 5x5 lattice on a 101x101 tile (nodes every 25 px) whose displacements grow linearly,
   * 5 (i - 2) px in y on node row i and 5 (j - 2) px in x on node column j. Catmull-Rom reproduces
   * a linear function wherever the four nodes of a cell's neighbourhood lie on it, so inside
   * 25..75 the field is d = 0.2 p - 10 on each axis and output p reads source 1.2 p - 10: the point
   * drawn at source (62, 38) appears at output (60, 40), its neighbours reading 60.8 -> 61 and
   * 63.2 -> 63 (or 36.8 -> 37 and 39.2 -> 39), so only there.
   */
  @Test
  void linearDisplacementMovesADrawnPoint() {
    double[] dy = new double[25];
    double[] dx = new double[25];
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        dy[i * 5 + j] = 5 * (i - 2);
        dx[i * 5 + j] = 5 * (j - 2);
      }
    }
    ElasticField field = ElasticField.of(5, 101, 101, dy, dx);
    assertEquals(2, field.displacementY(60, 40), 1e-12);
    assertEquals(-2, field.displacementX(60, 40), 1e-12);
    assertDrawnPointMoves(field, 101, 101, 62, 38, 60, 40);
  }

  /** Draws a point into labels and image at source (y, x) and checks it lands at output (ty, tx) alone. */
  private static void assertDrawnPointMoves(ElasticField field, int height, int width, int y, int x, int ty,
      int tx) {
    float[] image = new float[height * width];
    int[] labels = new int[height * width];
    image[y * width + x] = 1;
    labels[y * width + x] = 1;
    Sample sample = Sample.unweighted(height, width, 1, image, labels);
    Tile tile = Warp.identity().elastic(field)
        .resample(sample, TileShape.uncropped(height, width), 0, 0, Interpolation.BICUBIC);
    for (int i = 0; i < height; i++) {
      for (int j = 0; j < width; j++) {
        assertEquals(i == ty && j == tx ? 1 : 0, tile.labels()[i * width + j], "label at " + i + "," + j);
      }
    }
    // At the output pixel the source point is hit exactly, where bicubic interpolation is exact.
    assertEquals(1, tile.image()[ty * width + tx], 1e-5);
  }

  private static Augmenter elastic(ElasticTransform transform) {
    return Augmenter.of(new AugmentationSpec(List.of(transform), Interpolation.BICUBIC));
  }

  /**
   * The smallest Jacobian determinant of the warp's backward map over a size x size tile: the map
   * evaluated every {@code step} px, its derivatives from the neighbouring evaluations (central
   * differences over 2 steps inside, one-sided at the border, where the field stops changing).
   */
  private static double minDeterminant(Warp warp, int size, int step) {
    int n = (size - 1) / step + 1;
    double centre = (size - 1) / 2.0;
    double[] sourceY = new double[n * n];
    double[] sourceX = new double[n * n];
    double[] p = new double[2];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        p[0] = i * step - centre;
        p[1] = j * step - centre;
        warp.mapCentred(p);
        sourceY[i * n + j] = p[0];
        sourceX[i * n + j] = p[1];
      }
    }
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      int below = Math.max(i - 1, 0);
      int above = Math.min(i + 1, n - 1);
      for (int j = 0; j < n; j++) {
        int before = Math.max(j - 1, 0);
        int after = Math.min(j + 1, n - 1);
        double alongY = (above - below) * step;
        double alongX = (after - before) * step;
        double yy = (sourceY[above * n + j] - sourceY[below * n + j]) / alongY;
        double xy = (sourceX[above * n + j] - sourceX[below * n + j]) / alongY;
        double yx = (sourceY[i * n + after] - sourceY[i * n + before]) / alongX;
        double xx = (sourceX[i * n + after] - sourceX[i * n + before]) / alongX;
        min = Math.min(min, yy * xx - yx * xy);
      }
    }
    return min;
  }

  /** det of the backward map's Jacobian at tile pixel (y, x), by central differences. */
  private static double determinant(Warp warp, int height, int width, double y, double x) {
    double cy = y - (height - 1) / 2.0;
    double cx = x - (width - 1) / 2.0;
    double[] down = map(warp, cy + H, cx);
    double[] up = map(warp, cy - H, cx);
    double[] right = map(warp, cy, cx + H);
    double[] left = map(warp, cy, cx - H);
    double yy = (down[0] - up[0]) / (2 * H);
    double xy = (down[1] - up[1]) / (2 * H);
    double yx = (right[0] - left[0]) / (2 * H);
    double xx = (right[1] - left[1]) / (2 * H);
    return yy * xx - yx * xy;
  }

  private static double[] map(Warp warp, double y, double x) {
    double[] p = {y, x};
    warp.mapCentred(p);
    return p;
  }
}
