package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.TestTimeAugmentation;

/**
 * A symmetry of a volume that test-time augmentation may use: mirrors along z, y and x, and the
 * in-plane transpose (which, with the mirrors, makes the quarter turns about z). The transformed
 * volume {@code J} of {@code I} ({@code Z x Y x X}) is {@code J(z', y', x') = I(sz, sy, sx)} with
 * {@code (u, v) = transposes ? (x', y') : (y', x')}, {@code sz = flipsZ ? Z - 1 - z' : z'},
 * {@code sy = flipsY ? Y - 1 - u : u} and {@code sx = flipsX ? X - 1 - v : v}; {@code J} is
 * {@code Z x X x Y} when the transform transposes.
 *
 * <p>Only symmetries that keep every voxel's shape are used: a mirror always does, a quarter turn
 * about z only where the y and x spacings are equal (it swaps them), and no turn moves z into the
 * plane, since z spacing usually differs. Test-time augmentation predicts {@code J} and reads its
 * output voxels back into {@code I} through the same mapping.
 *
 * @param flipsZ mirrors along z
 * @param flipsY mirrors along y (of the source)
 * @param flipsX mirrors along x (of the source)
 * @param transposes swaps y and x
 */
record VolumeTransform(boolean flipsZ, boolean flipsY, boolean flipsX, boolean transposes) {
  static final VolumeTransform IDENTITY = new VolumeTransform(false, false, false, false);

  /**
   * The transforms whose predictions {@code tta} averages for a volume of {@code spacing}:
   * {@code none} the identity; {@code mirrors} the 8 mirrors (along any of z, y and x); {@code
   * dihedral} those 8 with and without the transpose (16: every quarter turn about z and mirror),
   * where the y and x spacings are equal, else the 8 mirrors.
   */
  static List<VolumeTransform> of(TestTimeAugmentation tta, VoxelSpacing spacing) {
    checkNotNull(tta, "tta");
    checkNotNull(spacing, "spacing");
    if (tta == TestTimeAugmentation.NONE) {
      return List.of(IDENTITY);
    }
    boolean turns = tta == TestTimeAugmentation.DIHEDRAL && spacing.y() == spacing.x();
    List<VolumeTransform> all = new ArrayList<>();
    for (int t = 0; t < (turns ? 2 : 1); t++) {
      for (int m = 0; m < 8; m++) {
        all.add(new VolumeTransform((m & 4) != 0, (m & 2) != 0, (m & 1) != 0, t == 1));
      }
    }
    return List.copyOf(all);
  }

  /** The size of the transformed volume. */
  Size3 size(Size3 source) {
    return transposes ? new Size3(source.z(), source.x(), source.y()) : source;
  }

  /** The source plane of plane {@code j} of the transformed volume. */
  int sourcePlane(int j, int planes) {
    return flipsZ ? planes - 1 - j : j;
  }

  /** The source row of {@code (row j, column i)} of a transformed plane of a {@code rows x columns} source. */
  int sourceRow(int j, int i, int rows) {
    int u = transposes ? i : j;
    return flipsY ? rows - 1 - u : u;
  }

  /** The source column of {@code (row j, column i)} of a transformed plane of a {@code rows x columns} source. */
  int sourceColumn(int j, int i, int columns) {
    int v = transposes ? j : i;
    return flipsX ? columns - 1 - v : v;
  }
}
