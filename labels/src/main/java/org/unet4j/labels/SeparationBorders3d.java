package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;

/**
 * The separation borders between touching cells of a volume, as {@link SeparationBorders} draws
 * them in an image: a cell voxel becomes background when one of its 26 neighbours (the 3x3x3 cube
 * around it) belongs to a different cell. The rule is symmetric, so numbering does not matter, and
 * afterwards no remaining voxel of one cell touches one of another even at a corner: touching cells
 * never merge in the foreground/background target under any connectivity. Ignored voxels stay
 * ignored and touch nothing.
 */
public final class SeparationBorders3d {
  private SeparationBorders3d() {}

  /** The cells with their voxels that touch another cell set to background, renumbered compactly in order. */
  public static InstanceVolume separate(InstanceVolume instances) {
    checkNotNull(instances, "instances");
    Size3 size = instances.size();
    int nx = size.x();
    int ny = size.y();
    int nz = size.z();
    int[] in = instances.array();
    int[] out = in.clone();
    for (int z = 0, i = 0; z < nz; z++) {
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++, i++) {
          if (in[i] != 0 && touchesOtherCell(in, size, z, y, x, in[i])) {
            out[i] = 0;
          }
        }
      }
    }
    InstanceLabels compact = InstanceLabels.compact(out, nx, ny * nz);
    return InstanceVolume.trusted(size, compact.cellCount(), compact.array(), instances.ignoredArray());
  }

  private static boolean touchesOtherCell(int[] labels, Size3 size, int z, int y, int x, int cell) {
    for (int nz = Math.max(0, z - 1); nz <= Math.min(size.z() - 1, z + 1); nz++) {
      for (int ny = Math.max(0, y - 1); ny <= Math.min(size.y() - 1, y + 1); ny++) {
        for (int nx = Math.max(0, x - 1); nx <= Math.min(size.x() - 1, x + 1); nx++) {
          int other = labels[(nz * size.y() + ny) * size.x() + nx];
          if (other != 0 && other != cell) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
