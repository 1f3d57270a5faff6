package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.Interpolation;

/**
 * {@link Warp} for volumes: mirrors, turns and rotations about z, shifts, zoom and a 3D elastic
 * field composed into one backward coordinate map (tile voxel to source point), so that image,
 * labels and weights are resampled once. Transforms act about the tile centre and compose in the
 * order they are added. Coordinates are voxels of each axis, z, y, x; a rotation about z is a
 * rotation of physical space, so on voxels whose y and x spacings differ it stays a rotation.
 *
 * <p>Immutable and thread-safe.
 */
public final class VolumeWarp {
  private static final VolumeWarp IDENTITY = new VolumeWarp(ImmutableList.of());

  private final ImmutableList<Step> steps;

  private VolumeWarp(ImmutableList<Step> steps) {
    this.steps = steps;
  }

  /** The map that leaves every voxel where it is. */
  public static VolumeWarp identity() {
    return IDENTITY;
  }

  /** Then mirror along {@code axis}. */
  public VolumeWarp mirror(Axis axis) {
    double[] m = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    int a = axis.ordinal();
    m[a * 4] = -1;
    return then(new Affine(m, new double[3]));
  }

  /** Then turn by {@code turns} quarter turns about z (clockwise on screen), with exact entries. */
  public VolumeWarp quarterTurns(int turns) {
    return switch (Math.floorMod(turns, 4)) {
      case 0 -> this;
      case 1 -> inPlane(0, -1, 1, 0);
      case 2 -> inPlane(-1, 0, 0, -1);
      default -> inPlane(0, 1, -1, 0);
    };
  }

  /**
   * Then rotate by {@code degrees} about the z axis through the tile centre, in physical space:
   * with y voxels {@code spacing.y() / spacing.x()} times as tall as x voxels are wide.
   */
  public VolumeWarp rotateAboutZ(double degrees, VoxelSpacing spacing) {
    checkArgument(Double.isFinite(degrees), "degrees must be finite, got %s", degrees);
    checkNotNull(spacing, "spacing");
    double radians = StrictMath.toRadians(degrees);
    double cos = StrictMath.cos(radians);
    double sin = StrictMath.sin(radians);
    double ratio = spacing.y() / spacing.x();
    // Backward in physical (Y = ratio y, X = x): Y = cos Y' - sin X', X = sin Y' + cos X'.
    return inPlane(cos, -sin / ratio, sin * ratio, cos);
  }

  /** Then move the content by (dz, dy, dx) voxels. */
  public VolumeWarp shift(double dz, double dy, double dx) {
    checkArgument(Double.isFinite(dz) && Double.isFinite(dy) && Double.isFinite(dx),
        "shift must be finite, got (%s, %s, %s)", dz, dy, dx);
    return then(new Affine(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[] {-dz, -dy, -dx}));
  }

  /** Then zoom about the tile centre by {@code factor} along every axis (above 1 enlarges). */
  public VolumeWarp scale(double factor) {
    checkArgument(factor > 0 && Double.isFinite(factor), "scale factor must be positive, got %s", factor);
    double i = 1 / factor;
    return then(new Affine(new double[] {i, 0, 0, 0, i, 0, 0, 0, i}, new double[3]));
  }

  /** Then deform with {@code field}. */
  public VolumeWarp elastic(ElasticField3d field) {
    checkNotNull(field, "field");
    return then(field::displaceCentred);
  }

  /** Whether this map leaves every voxel where it is. */
  public boolean isIdentity() {
    return steps.isEmpty();
  }

  /** Maps the tile-centred point {@code p} (z, y, x) to its source point, in place. */
  void mapCentred(double[] p) {
    for (int k = steps.size() - 1; k >= 0; k--) {
      steps.get(k).back(p);
    }
  }

  /**
   * Resamples {@code sample} into a tile of {@code input} voxels whose first voxel is, before
   * warping, voxel {@code start} of the sample: the image with {@code interpolation} (bicubic:
   * tricubic Catmull-Rom, bilinear: trilinear), the labels and weights of the centred
   * {@code output} crop from the nearest source voxel, mirrored beyond the border on every axis.
   */
  public VolumeTile resample(VolumeSample sample, Size3 input, Size3 output, Size3 start, Interpolation interpolation) {
    checkNotNull(sample, "sample");
    checkNotNull(interpolation, "interpolation");
    Size3 size = sample.size();
    int channels = sample.channels();
    float[] image = new float[(int) (input.voxels() * channels)];
    int[] labels = new int[(int) output.voxels()];
    float[] weights = new float[labels.length];
    Size3 crop = new Size3((input.z() - output.z()) / 2, (input.y() - output.y()) / 2, (input.x() - output.x()) / 2);
    double[] centre = {(input.z() - 1) / 2.0, (input.y() - 1) / 2.0, (input.x() - 1) / 2.0};
    double[] origin = {start.z() + centre[0], start.y() + centre[1], start.x() + centre[2]};
    int[] extent = {size.z(), size.y(), size.x()};
    boolean cubic = interpolation == Interpolation.BICUBIC;
    int taps = cubic ? 4 : 2;
    int[][] index = new int[3][taps];
    double[][] weight = new double[3][taps];
    double[] p = new double[3];
    double[] sum = new double[channels];
    for (int z = 0, out = 0; z < input.z(); z++) {
      for (int y = 0; y < input.y(); y++) {
        for (int x = 0; x < input.x(); x++, out += channels) {
          p[0] = z - centre[0];
          p[1] = y - centre[1];
          p[2] = x - centre[2];
          mapCentred(p);
          for (int a = 0; a < 3; a++) {
            p[a] += origin[a];
            taps(p[a], extent[a], cubic, index[a], weight[a]);
          }
          java.util.Arrays.fill(sum, 0);
          for (int i = 0; i < taps; i++) {
            for (int j = 0; j < taps; j++) {
              double wij = weight[0][i] * weight[1][j];
              int row = (index[0][i] * size.y() + index[1][j]) * size.x();
              for (int k = 0; k < taps; k++) {
                double w = wij * weight[2][k];
                int from = (row + index[2][k]) * channels;
                for (int c = 0; c < channels; c++) {
                  sum[c] += w * sample.image()[from + c];
                }
              }
            }
          }
          for (int c = 0; c < channels; c++) {
            image[out + c] = (float) sum[c];
          }
          int lz = z - crop.z();
          int ly = y - crop.y();
          int lx = x - crop.x();
          if (lz >= 0 && lz < output.z() && ly >= 0 && ly < output.y() && lx >= 0 && lx < output.x()) {
            int from = (nearest(p[0], extent[0]) * size.y() + nearest(p[1], extent[1])) * size.x()
                + nearest(p[2], extent[2]);
            int to = (lz * output.y() + ly) * output.x() + lx;
            labels[to] = sample.labels()[from];
            weights[to] = sample.weights()[from];
          }
        }
      }
    }
    return new VolumeTile(input, output, channels, image, labels, weights);
  }

  /** The source indices (mirrored) and weights of the taps around {@code s} along one axis. */
  private static void taps(double s, int size, boolean cubic, int[] index, double[] weight) {
    int i = (int) Math.floor(s);
    double t = s - i;
    if (cubic) {
      weight[0] = CubicKernel.w0(t);
      weight[1] = CubicKernel.w1(t);
      weight[2] = CubicKernel.w2(t);
      weight[3] = CubicKernel.w3(t);
      for (int k = 0; k < 4; k++) {
        index[k] = Resampler.reflect(i - 1 + k, size);
      }
    } else {
      weight[0] = 1 - t;
      weight[1] = t;
      index[0] = Resampler.reflect(i, size);
      index[1] = Resampler.reflect(i + 1, size);
    }
  }

  private static int nearest(double s, int size) {
    return Resampler.reflect((int) Math.floor(s + 0.5), size);
  }

  private VolumeWarp inPlane(double yy, double yx, double xy, double xx) {
    return then(new Affine(new double[] {1, 0, 0, 0, yy, yx, 0, xy, xx}, new double[3]));
  }

  private VolumeWarp then(Step next) {
    if (!steps.isEmpty() && steps.get(steps.size() - 1) instanceof Affine last && next instanceof Affine affine) {
      return new VolumeWarp(ImmutableList.<Step>builder().addAll(steps.subList(0, steps.size() - 1))
          .add(last.after(affine)).build());
    }
    return new VolumeWarp(ImmutableList.<Step>builder().addAll(steps).add(next).build());
  }

  @Override
  public String toString() {
    return "VolumeWarp" + steps;
  }

  /** One backward step: a point of the frame after the step to the frame before it. */
  @FunctionalInterface
  private interface Step {
    void back(double[] p);
  }

  /** p -> M p + o, M row-major 3x3 in (z, y, x). */
  private record Affine(double[] m, double[] o) implements Step {
    @Override
    public void back(double[] p) {
      double z = p[0];
      double y = p[1];
      double x = p[2];
      for (int r = 0; r < 3; r++) {
        p[r] = m[3 * r] * z + m[3 * r + 1] * y + m[3 * r + 2] * x + o[r];
      }
    }

    /** The backward map of "this, then {@code next}": this.back(next.back(p)). */
    Affine after(Affine next) {
      double[] product = new double[9];
      double[] offset = new double[3];
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 3; c++) {
          for (int k = 0; k < 3; k++) {
            product[3 * r + c] += m[3 * r + k] * next.m[3 * k + c];
          }
          offset[r] += m[3 * r + c] * next.o[c];
        }
        offset[r] += o[r];
      }
      return new Affine(product, offset);
    }

    @Override
    public String toString() {
      return "Affine" + java.util.Arrays.toString(m) + "+" + java.util.Arrays.toString(o);
    }
  }
}
