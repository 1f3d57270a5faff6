package org.unet4j.augment;

import org.unet4j.dsl.recipe.Interpolation;

/**
 * The single resampling pass: every output pixel is mapped once through the warp, then the image
 * is interpolated there and, inside the label crop, label and weight are read from the nearest
 * source pixel. Weights follow the labels (nearest, same pixel) rather than being interpolated, so
 * each label keeps the weight computed for it; a bilinear weight would smear the paper's border
 * weights (eq. 2) onto neighbouring labels of the other class.
 *
 * <p>Work goes row by row: first the source point of every pixel of the row, then the image taps
 * (a branch-free path when all taps lie inside the sample, mirroring only near the border), then
 * the labels of the row.
 */
final class Resampler {
  private Resampler() {}

  static Tile resample(Warp warp, Sample sample, TileShape shape, int top, int left, Interpolation interpolation) {
    int height = sample.height();
    int width = sample.width();
    int channels = sample.channels();
    float[] source = sample.image();
    int[] sourceLabels = sample.labels();
    float[] sourceWeights = sample.weights();

    int tileHeight = shape.imageHeight();
    int tileWidth = shape.imageWidth();
    int labelTop = shape.labelTop();
    int labelLeft = shape.labelLeft();
    int labelHeight = shape.labelHeight();
    int labelWidth = shape.labelWidth();
    float[] image = new float[tileHeight * tileWidth * channels];
    int[] labels = new int[labelHeight * labelWidth];
    float[] weights = new float[labelHeight * labelWidth];

    // Tile-centred coordinates keep identity and quarter-turn maps exact: the centre is a
    // multiple of 1/2, so y - centre and back are exact in double.
    double centreY = (tileHeight - 1) / 2.0;
    double centreX = (tileWidth - 1) / 2.0;
    double originY = top + centreY;
    double originX = left + centreX;
    Warp.Step[] steps = warp.steps();
    boolean cubic = interpolation == Interpolation.BICUBIC;
    double[] p = new double[2];
    double[] rowY = new double[tileWidth];
    double[] rowX = new double[tileWidth];

    for (int y = 0; y < tileHeight; y++) {
      for (int x = 0; x < tileWidth; x++) {
        p[0] = y - centreY;
        p[1] = x - centreX;
        for (int k = steps.length - 1; k >= 0; k--) {
          steps[k].back(p);
        }
        rowY[x] = p[0] + originY;
        rowX[x] = p[1] + originX;
      }
      int rowStart = y * tileWidth * channels;
      if (cubic) {
        cubicRow(source, height, width, channels, rowY, rowX, image, rowStart);
      } else {
        linearRow(source, height, width, channels, rowY, rowX, image, rowStart);
      }
      int labelRow = y - labelTop;
      if (labelRow >= 0 && labelRow < labelHeight) {
        for (int j = 0; j < labelWidth; j++) {
          int x = labelLeft + j;
          int from = reflect(floor(rowY[x] + 0.5), height) * width + reflect(floor(rowX[x] + 0.5), width);
          labels[labelRow * labelWidth + j] = sourceLabels[from];
          weights[labelRow * labelWidth + j] = sourceWeights[from];
        }
      }
    }
    return new Tile(shape, channels, image, labels, weights);
  }

  private static void cubicRow(float[] source, int height, int width, int channels,
      double[] rowY, double[] rowX, float[] image, int rowStart) {
    int stride = width * channels;
    int[] rows = new int[4];
    int[] cols = new int[4];
    for (int x = 0; x < rowY.length; x++) {
      double sy = rowY[x];
      double sx = rowX[x];
      int iy = floor(sy);
      int ix = floor(sx);
      double ty = sy - iy;
      double tx = sx - ix;
      double wy0 = CubicKernel.w0(ty);
      double wy1 = CubicKernel.w1(ty);
      double wy2 = CubicKernel.w2(ty);
      double wy3 = CubicKernel.w3(ty);
      double wx0 = CubicKernel.w0(tx);
      double wx1 = CubicKernel.w1(tx);
      double wx2 = CubicKernel.w2(tx);
      double wx3 = CubicKernel.w3(tx);
      int out = rowStart + x * channels;
      if (iy >= 1 && iy + 2 < height && ix >= 1 && ix + 2 < width) {
        int r0 = (iy - 1) * stride + (ix - 1) * channels;
        int r1 = r0 + stride;
        int r2 = r1 + stride;
        int r3 = r2 + stride;
        int c1 = channels;
        int c2 = 2 * channels;
        int c3 = 3 * channels;
        for (int c = 0; c < channels; c++) {
          double sum = wy0 * (wx0 * source[r0 + c] + wx1 * source[r0 + c1 + c] + wx2 * source[r0 + c2 + c] + wx3 * source[r0 + c3 + c])
              + wy1 * (wx0 * source[r1 + c] + wx1 * source[r1 + c1 + c] + wx2 * source[r1 + c2 + c] + wx3 * source[r1 + c3 + c])
              + wy2 * (wx0 * source[r2 + c] + wx1 * source[r2 + c1 + c] + wx2 * source[r2 + c2 + c] + wx3 * source[r2 + c3 + c])
              + wy3 * (wx0 * source[r3 + c] + wx1 * source[r3 + c1 + c] + wx2 * source[r3 + c2 + c] + wx3 * source[r3 + c3 + c]);
          image[out + c] = (float) sum;
        }
      } else {
        for (int k = 0; k < 4; k++) {
          rows[k] = reflect(iy - 1 + k, height) * stride;
          cols[k] = reflect(ix - 1 + k, width) * channels;
        }
        for (int c = 0; c < channels; c++) {
          double sum = wy0 * (wx0 * source[rows[0] + cols[0] + c] + wx1 * source[rows[0] + cols[1] + c]
                  + wx2 * source[rows[0] + cols[2] + c] + wx3 * source[rows[0] + cols[3] + c])
              + wy1 * (wx0 * source[rows[1] + cols[0] + c] + wx1 * source[rows[1] + cols[1] + c]
                  + wx2 * source[rows[1] + cols[2] + c] + wx3 * source[rows[1] + cols[3] + c])
              + wy2 * (wx0 * source[rows[2] + cols[0] + c] + wx1 * source[rows[2] + cols[1] + c]
                  + wx2 * source[rows[2] + cols[2] + c] + wx3 * source[rows[2] + cols[3] + c])
              + wy3 * (wx0 * source[rows[3] + cols[0] + c] + wx1 * source[rows[3] + cols[1] + c]
                  + wx2 * source[rows[3] + cols[2] + c] + wx3 * source[rows[3] + cols[3] + c]);
          image[out + c] = (float) sum;
        }
      }
    }
  }

  private static void linearRow(float[] source, int height, int width, int channels,
      double[] rowY, double[] rowX, float[] image, int rowStart) {
    int stride = width * channels;
    for (int x = 0; x < rowY.length; x++) {
      double sy = rowY[x];
      double sx = rowX[x];
      int iy = floor(sy);
      int ix = floor(sx);
      double ty = sy - iy;
      double tx = sx - ix;
      int r0;
      int r1;
      int c0;
      int c1;
      if (iy >= 0 && iy + 1 < height && ix >= 0 && ix + 1 < width) {
        r0 = iy * stride;
        r1 = r0 + stride;
        c0 = ix * channels;
        c1 = c0 + channels;
      } else {
        r0 = reflect(iy, height) * stride;
        r1 = reflect(iy + 1, height) * stride;
        c0 = reflect(ix, width) * channels;
        c1 = reflect(ix + 1, width) * channels;
      }
      int out = rowStart + x * channels;
      for (int c = 0; c < channels; c++) {
        double sum = (1 - ty) * ((1 - tx) * source[r0 + c0 + c] + tx * source[r0 + c1 + c])
            + ty * ((1 - tx) * source[r1 + c0 + c] + tx * source[r1 + c1 + c]);
        image[out + c] = (float) sum;
      }
    }
  }

  /** floor(v) as an int, for the coordinates of the inner loop (|v| well below 2^31). */
  private static int floor(double v) {
    int i = (int) v;
    return v < i ? i - 1 : i;
  }

  /** {@link Mirror#index} without the argument check, for the inner loop. */
  static int reflect(int index, int size) {
    if (index >= 0 && index < size) {
      return index;
    }
    if (size == 1) {
      return 0;
    }
    int period = 2 * (size - 1);
    int folded = Math.floorMod(index, period);
    return folded < size ? folded : period - folded;
  }
}
