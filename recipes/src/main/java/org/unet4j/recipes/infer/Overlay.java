package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.losses.weights.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.Normalizer;

/**
 * The picture people check a segmentation with: the image in gray (its channels averaged, the 1st
 * to 99.8th percentile stretched to black..white) and the contour of every object in its own
 * colour.
 */
public final class Overlay {
  /** The golden ratio: successive labels get hues far apart. */
  private static final double GOLDEN = 0.618033988749895;

  private Overlay() {}

  /**
   * The overlay of {@code labels} on {@code image} (same size). A contour pixel is an object pixel
   * with a 4-neighbour inside the image that belongs to another object or the background.
   */
  public static BufferedImage of(Image image, InstanceLabels labels) {
    checkNotNull(image, "image");
    checkNotNull(labels, "labels");
    int width = image.width();
    int height = image.height();
    checkArgument(labels.width() == width && labels.height() == height,
        "the labels are %sx%s but the image is %sx%s", labels.width(), labels.height(), width, height);
    float[] gray = Normalizer.apply(image, NormalizationSpec.percentile());
    int channels = image.channels();
    int[] label = labels.toArray();
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        int l = label[p];
        if (l != 0 && ((x > 0 && label[p - 1] != l) || (x < width - 1 && label[p + 1] != l)
            || (y > 0 && label[p - width] != l) || (y < height - 1 && label[p + width] != l))) {
          row[x] = colour(l);
        } else {
          double sum = 0;
          for (int c = 0; c < channels; c++) {
            sum += gray[p * channels + c];
          }
          int v = (int) Math.round(255 * Math.max(0, Math.min(1, sum / channels)));
          row[x] = v << 16 | v << 8 | v;
        }
      }
      picture.setRGB(0, y, width, 1, row, 0, width);
    }
    return picture;
  }

  /** A saturated colour for label {@code l} ({@code 0xRRGGBB}). */
  static int colour(int l) {
    float hue = (float) ((l * GOLDEN) % 1.0);
    return Color.HSBtoRGB(hue, 0.85f, 1f) & 0xFFFFFF;
  }
}
