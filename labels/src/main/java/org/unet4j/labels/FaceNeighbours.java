package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.model.Size3;

/**
 * The face neighbours of a voxel of a z-major volume (an image is a volume of one plane), in the order the
 * floods visit them: x-1, y-1, z-1, x+1, y+1, z+1; -1 for a neighbour outside. In one plane that is left, up,
 * right, down.
 *
 * @param size planes, rows and columns
 */
public record FaceNeighbours(Size3 size) {
  public FaceNeighbours {
    checkNotNull(size, "size");
  }

  /** The index of {@code (z, y, x)}. */
  public int index(int z, int y, int x) {
    return (z * size.y() + y) * size.x() + x;
  }

  /** Writes the neighbours of {@code p} into {@code into} (6 long, reused to spare the garbage); returns it. */
  public int[] neighbours(int p, int[] into) {
    int width = size.x();
    int plane = width * size.y();
    int x = p % width;
    int y = p % plane / width;
    int z = p / plane;
    into[0] = x > 0 ? p - 1 : -1;
    into[1] = y > 0 ? p - width : -1;
    into[2] = z > 0 ? p - plane : -1;
    into[3] = x < width - 1 ? p + 1 : -1;
    into[4] = y < size.y() - 1 ? p + width : -1;
    into[5] = z < size.z() - 1 ? p + plane : -1;
    return into;
  }

  /**
   * Whether a face neighbour of {@code p} has a label above 0 in {@code labels} (a region the floods grow);
   * {@code into} as for {@link #neighbours}, left holding {@code p}'s neighbours.
   */
  public boolean touchesRegion(int[] labels, int p, int[] into) {
    for (int q : neighbours(p, into)) {
      if (q >= 0 && labels[q] > 0) {
        return true;
      }
    }
    return false;
  }
}
