package org.unet4j.recipes.infer;

import java.util.List;
import org.unet4j.dsl.recipe.TestTimeAugmentation;

/**
 * The 8 symmetries of the square (quarter turns and mirrors) as a pixel mapping. The transformed
 * image {@code J} of an image {@code I} ({@code width x height}) is
 * {@code J(x', y') = I(sx, sy)} with {@code (a, b) = transposes ? (y', x') : (x', y')},
 * {@code sx = flipsX ? width - 1 - a : a} and {@code sy = flipsY ? height - 1 - b : b}; {@code J} is
 * {@code height x width} when the transform transposes.
 *
 * <p>Test-time augmentation predicts {@code J} and reads each of its output pixels back into
 * {@code I} through the same mapping, which is the inverse transform of the prediction.
 */
public enum DihedralTransform {
  IDENTITY(false, false, false),
  /** Left-right mirror. */
  FLIP_X(false, true, false),
  /** Top-bottom mirror. */
  FLIP_Y(false, false, true),
  ROTATE_180(false, true, true),
  /** Mirror about the main diagonal. */
  TRANSPOSE(true, false, false),
  /** A quarter turn clockwise: the left column of {@code I}, read upwards, becomes the top row. */
  ROTATE_90(true, false, true),
  /** A quarter turn counter-clockwise. */
  ROTATE_270(true, true, false),
  /** Mirror about the anti-diagonal. */
  TRANSVERSE(true, true, true);

  private static final List<DihedralTransform> MIRRORS = List.of(IDENTITY, FLIP_X, FLIP_Y, ROTATE_180);
  private static final List<DihedralTransform> ALL = List.of(values());

  private final boolean transposes;
  private final boolean flipsX;
  private final boolean flipsY;

  DihedralTransform(boolean transposes, boolean flipsX, boolean flipsY) {
    this.transposes = transposes;
    this.flipsX = flipsX;
    this.flipsY = flipsY;
  }

  /** The transforms whose predictions {@code tta} averages: 1, 4 or 8. */
  public static List<DihedralTransform> of(TestTimeAugmentation tta) {
    return switch (tta) {
      case NONE -> List.of(IDENTITY);
      case MIRRORS -> MIRRORS;
      case DIHEDRAL -> ALL;
    };
  }

  /** Whether width and height swap. */
  public boolean transposes() {
    return transposes;
  }

  /** Width of the transformed image. */
  public int width(int width, int height) {
    return transposes ? height : width;
  }

  /** Height of the transformed image. */
  public int height(int width, int height) {
    return transposes ? width : height;
  }

  /** Whether the transform mirrors top to bottom (so its grid counts page rows from the bottom). */
  public boolean flipsY() {
    return flipsY;
  }

  /**
   * The row of {@code I} that index {@code j} of {@code J} selects: {@code J}'s row index, or its
   * column index when the transform transposes.
   */
  int sourceRow(int j, int height) {
    return flipsY ? height - 1 - j : j;
  }

  /**
   * The column of {@code I} that index {@code j} of {@code J} selects: {@code J}'s column index, or
   * its row index when the transform transposes.
   */
  int sourceColumn(int j, int width) {
    return flipsX ? width - 1 - j : j;
  }
}
