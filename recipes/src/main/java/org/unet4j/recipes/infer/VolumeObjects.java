package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Arrays;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.data.Calibration;

/**
 * The objects of a labelled volume as a table, {@code NAME_objects.csv}: per label its voxels and
 * volume, its centroid in voxels and in the calibration's unit, and its bounding box in voxels.
 * Planes of labels are added one at a time as they are written, so a volume of any depth is
 * measured in some numbers per object. Coordinates are z, y, x, measured from the volume's corner,
 * where a voxel's centre is at its index + 0.5, as in the images' table ({@link ObjectMeasurements})
 * and Fiji's measurements.
 */
final class VolumeObjects {
  private final int width;
  private final int height;
  private long[] count = new long[0];
  private double[] sumZ = new double[0];
  private double[] sumY = new double[0];
  private double[] sumX = new double[0];
  private int[][] min = new int[0][];
  private int[][] max = new int[0][];
  private int z;

  VolumeObjects(int width, int height) {
    checkArgument(width >= 1 && height >= 1, "plane sizes must be positive, got %sx%s", width, height);
    this.width = width;
    this.height = height;
  }

  /** Counts plane {@code z} (the next one) of labels, row-major, 0 background. */
  void addPlane(int[] labels) {
    checkArgument(labels.length == width * height, "a %sx%s plane has %s labels, got %s", width, height,
        width * height, labels.length);
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i];
      if (label == 0) {
        continue;
      }
      if (label >= count.length) {
        grow(label + 1);
      }
      int y = i / width;
      int x = i % width;
      if (count[label] == 0) {
        min[label] = new int[] {z, y, x};
        max[label] = new int[] {z, y, x};
      }
      count[label]++;
      sumZ[label] += z;
      sumY[label] += y;
      sumX[label] += x;
      int[] lo = min[label];
      int[] hi = max[label];
      lo[1] = Math.min(lo[1], y);
      lo[2] = Math.min(lo[2], x);
      hi[0] = z;
      hi[1] = Math.max(hi[1], y);
      hi[2] = Math.max(hi[2], x);
    }
    z++;
  }

  private void grow(int size) {
    int n = Math.max(size, 2 * count.length);
    count = Arrays.copyOf(count, n);
    sumZ = Arrays.copyOf(sumZ, n);
    sumY = Arrays.copyOf(sumY, n);
    sumX = Arrays.copyOf(sumX, n);
    min = Arrays.copyOf(min, n);
    max = Arrays.copyOf(max, n);
  }

  /** The table, one row per label present, in label order; lengths in {@code calibration}'s unit. */
  String csv(Calibration calibration) {
    checkNotNull(calibration, "calibration");
    String u = calibration.unit();
    StringBuilder text = new StringBuilder(String.join(",", "label", "voxels", "volume[" + u + "^3]",
        "centroidZ[voxels]", "centroidY[voxels]", "centroidX[voxels]", "centroidZ[" + u + "]", "centroidY[" + u + "]",
        "centroidX[" + u + "]", "boundsZ", "boundsY", "boundsX", "boundsDepth", "boundsHeight", "boundsWidth"))
        .append('\n');
    double voxelVolume = calibration.pixelDepth() * calibration.pixelHeight() * calibration.pixelWidth();
    for (int label = 1; label < count.length; label++) {
      long n = count[label];
      if (n == 0) {
        continue;
      }
      double cz = sumZ[label] / n + 0.5;
      double cy = sumY[label] / n + 0.5;
      double cx = sumX[label] / n + 0.5;
      int[] lo = min[label];
      int[] hi = max[label];
      text.append(String.join(",", Integer.toString(label), Long.toString(n),
          ObjectMeasurements.number(n * voxelVolume), ObjectMeasurements.number(cz), ObjectMeasurements.number(cy),
          ObjectMeasurements.number(cx), ObjectMeasurements.number(cz * calibration.pixelDepth()),
          ObjectMeasurements.number(cy * calibration.pixelHeight()),
          ObjectMeasurements.number(cx * calibration.pixelWidth()), Integer.toString(lo[0]),
          Integer.toString(lo[1]), Integer.toString(lo[2]), Integer.toString(hi[0] - lo[0] + 1),
          Integer.toString(hi[1] - lo[1] + 1), Integer.toString(hi[2] - lo[2] + 1))).append('\n');
    }
    return text.toString();
  }

  /** Writes {@link #csv} to {@code file} atomically. */
  void write(Path file, Calibration calibration) {
    AtomicFiles.writeString(file, csv(calibration));
  }
}
