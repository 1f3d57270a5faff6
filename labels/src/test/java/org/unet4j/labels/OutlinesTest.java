package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutlinesTest {
  /** A label image from rows of digits. */
  private static int[] image(String... rows) {
    int[] labels = new int[rows.length * rows[0].length()];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[y].length(); x++) {
        labels[y * rows[0].length() + x] = rows[y].charAt(x) - '0';
      }
    }
    return labels;
  }

  private static List<Outline> trace(String... rows) {
    return Outlines.trace(image(rows), rows[0].length(), rows.length);
  }

  private static void assertCorners(Outline outline, int... xy) {
    int[] x = new int[xy.length / 2];
    int[] y = new int[xy.length / 2];
    for (int i = 0; i < x.length; i++) {
      x[i] = xy[2 * i];
      y[i] = xy[2 * i + 1];
    }
    assertArrayEquals(x, outline.x(), outline::toString);
    assertArrayEquals(y, outline.y(), outline::toString);
  }

  @Test
  void aSquare() {
    List<Outline> outlines = trace("0000", "0110", "0110", "0000");
    assertEquals(1, outlines.size());
    assertEquals(1, outlines.get(0).label());
    assertCorners(outlines.get(0), 1, 1, 3, 1, 3, 3, 1, 3);
  }

  @Test
  void onePixelAndObjectsTouchingTheBorder() {
    List<Outline> outlines = trace("100", "002");
    assertCorners(outlines.get(0), 0, 0, 1, 0, 1, 1, 0, 1);
    assertCorners(outlines.get(1), 2, 1, 3, 1, 3, 2, 2, 2);
    assertCorners(Outlines.trace(new int[] {5}, 1, 1).get(0), 0, 0, 1, 0, 1, 1, 0, 1);
    // The whole image: the polygon is the image's frame.
    assertCorners(trace("33", "33", "33").get(0), 0, 0, 2, 0, 2, 3, 0, 3);
  }

  @Test
  void anLShape() {
    // 1 .
    // 1 .
    // 1 1
    assertCorners(trace("10", "10", "11").get(0), 0, 0, 1, 0, 1, 2, 2, 2, 2, 3, 0, 3);
    // An L whose first row is its foot: the concave corner comes first.
    assertCorners(trace("11", "01").get(0), 0, 0, 2, 0, 2, 2, 1, 2, 1, 1, 0, 1);
  }

  @Test
  void aHoleIsNotTraced() {
    List<Outline> outlines = trace("111", "101", "111");
    assertEquals(1, outlines.size());
    assertCorners(outlines.get(0), 0, 0, 3, 0, 3, 3, 0, 3);
    // A second object inside the hole gets its own outline.
    List<Outline> nested = trace("11111", "12221", "12221", "11111");
    assertEquals(2, nested.size());
    assertCorners(nested.get(1), 1, 1, 4, 1, 4, 3, 1, 3);
  }

  @Test
  void pixelsTouchingOnlyAtACornerAreNotJoined() {
    // Two objects meeting at a corner: two squares.
    List<Outline> two = trace("12", "21");
    assertCorners(two.get(0), 0, 0, 1, 0, 1, 1, 0, 1);
    assertCorners(two.get(1), 1, 0, 2, 0, 2, 1, 1, 1);
    // One label in two pieces that meet at a corner: the first piece's outline.
    assertCorners(trace("10", "01").get(0), 0, 0, 1, 0, 1, 1, 0, 1);
    // A connected object with a notch closed only at a corner: the notch stays outside.
    //   1 1 0
    //   1 0 1
    //   1 1 1
    Outline notch = trace("110", "101", "111").get(0);
    assertEquals(7, shoelace(notch));
  }

  @Test
  void outlinesOfTheWrongSizeAreRefused() {
    assertEquals("a 3x2 label image has 6 pixels, got 5",
        assertThrows(IllegalArgumentException.class, () -> Outlines.trace(new int[5], 3, 2)).getMessage());
    assertEquals(List.of(), Outlines.trace(new int[6], 3, 2));
  }

  /**
   * Random blobs cut into 4-connected cells: the polygon, filled by the even-odd rule at pixel
   * centres, holds exactly the cell's pixels and the pixels the cell encloses (those from which no
   * path outside the cell leads off the image; the background of 4-connected cells is
   * 8-connected, so the path may step diagonally), found here by a flood fill.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void filledOutlinesAreTheCellsAndTheirHoles(int seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int width = 7 + seed * 3;
    int height = 5 + seed * 2;
    boolean[] mask = new boolean[width * height];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = random.nextDouble() < 0.55;
    }
    int[] cells = new int[mask.length];
    int count = ConnectedComponents.label(mask, width, height, cells);
    List<Outline> outlines = Outlines.trace(cells, width, height);
    assertEquals(count, outlines.size());
    for (Outline outline : outlines) {
      boolean[] enclosed = enclosed(cells, width, height, outline.label());
      long pixels = 0;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          boolean in = evenOdd(outline, x + 0.5, y + 0.5);
          assertEquals(enclosed[y * width + x], in, "label " + outline.label() + " pixel (" + x + ", " + y + ")");
          pixels += in ? 1 : 0;
        }
      }
      assertEquals(pixels, shoelace(outline));
    }
  }

  /** The cell and what it encloses: every pixel not reached from outside the image through non-cell neighbours. */
  private static boolean[] enclosed(int[] cells, int width, int height, int label) {
    int w = width + 2;
    int h = height + 2;
    boolean[] outside = new boolean[w * h];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    outside[0] = true;
    queue.add(0);
    while (!queue.isEmpty()) {
      int p = queue.poll();
      int px = p % w;
      int py = p / w;
      int[][] steps = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
      for (int[] s : steps) {
        int nx = px + s[0];
        int ny = py + s[1];
        if (nx < 0 || ny < 0 || nx >= w || ny >= h || outside[ny * w + nx]) {
          continue;
        }
        boolean cell = nx >= 1 && ny >= 1 && nx <= width && ny <= height && cells[(ny - 1) * width + nx - 1] == label;
        if (!cell) {
          outside[ny * w + nx] = true;
          queue.add(ny * w + nx);
        }
      }
    }
    boolean[] in = new boolean[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        in[y * width + x] = !outside[(y + 1) * w + x + 1];
      }
    }
    return in;
  }

  private static boolean evenOdd(Outline o, double px, double py) {
    boolean in = false;
    for (int i = 0, j = o.size() - 1; i < o.size(); j = i++) {
      if ((o.y()[i] > py) != (o.y()[j] > py)
          && px < (double) (o.x()[j] - o.x()[i]) * (py - o.y()[i]) / (o.y()[j] - o.y()[i]) + o.x()[i]) {
        in = !in;
      }
    }
    return in;
  }

  /** The polygon's area by the shoelace formula (positive for clockwise with y down). */
  static long shoelace(Outline o) {
    long twice = 0;
    for (int i = 0; i < o.size(); i++) {
      int j = (i + 1) % o.size();
      twice += (long) o.x()[i] * o.y()[j] - (long) o.x()[j] * o.y()[i];
    }
    return twice / 2;
  }
}
