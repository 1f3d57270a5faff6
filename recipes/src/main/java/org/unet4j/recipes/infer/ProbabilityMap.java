package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PixelType;

/**
 * The class probabilities of every pixel of an image, row-major and channels-last like
 * {@link Image}: class {@code k} at {@code (x, y)} is {@code values[(y * width + x) * classes + k]}.
 * The array is shared, not copied; treat it as read-only.
 *
 * <p>The <em>foreground</em> is what the post-processing thresholds: class 1 of a two-class
 * soft-max (the paper's cell class), the single channel of a one-class sigmoid, and everything but
 * class 0 (background) when there are more classes.
 */
public record ProbabilityMap(int width, int height, int classes, float[] values) {

  public ProbabilityMap {
    checkNotNull(values, "values");
    checkArgument(width >= 1 && height >= 1 && classes >= 1, "sizes must be positive, got %sx%s with %s classes",
        width, height, classes);
    checkArgument((long) width * height * classes == values.length,
        "a %sx%s map of %s classes has %s values, got %s", width, height, classes, (long) width * height * classes,
        values.length);
  }

  /** The probability of class {@code k} at {@code (x, y)}. */
  public float get(int x, int y, int k) {
    checkElementIndex(x, width, "x");
    checkElementIndex(y, height, "y");
    checkElementIndex(k, classes, "class");
    return values[(y * width + x) * classes + k];
  }

  /** One class, row-major (a copy). */
  public float[] channel(int k) {
    checkElementIndex(k, classes, "class");
    float[] out = new float[width * height];
    for (int i = 0, j = k; i < out.length; i++, j += classes) {
      out[i] = values[j];
    }
    return out;
  }

  /** The foreground probability, row-major (see the class comment). */
  public float[] foreground() {
    if (classes <= 2) {
      return channel(classes - 1);
    }
    float[] out = new float[width * height];
    for (int i = 0, j = 0; i < out.length; i++, j += classes) {
      out[i] = 1 - values[j];
    }
    return out;
  }

  /**
   * The most probable class of every pixel, row-major ({@code NAME_classes.tif}); of equally
   * probable classes the lowest.
   */
  public int[] classMap() {
    int[] out = new int[width * height];
    for (int i = 0, j = 0; i < out.length; i++, j += classes) {
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (values[j + k] > values[j + best]) {
          best = k;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** {@link #classMap} as an 8-bit image, for writing as TIFF. */
  public Image classImage() {
    checkArgument(classes <= 256, "an 8-bit class map holds 256 classes, not %s", classes);
    int[] map = classMap();
    float[] pixels = new float[map.length];
    for (int i = 0; i < map.length; i++) {
      pixels[i] = map[i];
    }
    return Image.gray(width, height, PixelType.UINT8, pixels);
  }

  /** One float image per class, class 0 first: the pages of {@code NAME_class_prob.tif}. */
  public List<Image> classImages() {
    List<Image> pages = new ArrayList<>(classes);
    for (int k = 0; k < classes; k++) {
      pages.add(Image.gray(width, height, PixelType.FLOAT32, channel(k)));
    }
    return pages;
  }

  /** The foreground probability as a one-channel float image, for writing as TIFF. */
  public Image foregroundImage() {
    return image(ProbabilityOf.FOREGROUND);
  }

  /** The probability of foreground or of background as a one-channel float image, for writing as TIFF. */
  public Image image(ProbabilityOf of) {
    return Image.gray(width, height, PixelType.FLOAT32, of.fromForeground(foreground()));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ProbabilityMap other && width == other.width && height == other.height
        && classes == other.classes && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * width + height) + classes) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "ProbabilityMap[" + width + "x" + height + ", " + classes + " class" + (classes == 1 ? "" : "es") + "]";
  }
}
