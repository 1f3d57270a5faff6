package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Raw pixel values (not normalised), row-major, channels-last: the sample of channel {@code c} at
 * {@code (x, y)} is {@code pixels[(y * width + x) * channels + c]}. A 16-bit image holds 0..65535
 * (unsigned), an 8-bit one 0..255; the constructor checks that integer types hold whole numbers in
 * their range. A float holds every 8- and 16-bit value exactly.
 *
 * <p>The pixel array is shared, not copied (images are large and pass through several stages);
 * treat it as read-only. {@link #equals} compares the pixels.
 */
public record Image(int width, int height, int channels, PixelType type, float[] pixels) {

  public Image {
    checkNotNull(type, "type");
    checkNotNull(pixels, "pixels");
    checkArgument(width >= 1 && height >= 1, "image size must be at least 1x1, got %sx%s", width, height);
    checkArgument(channels >= 1, "an image has at least 1 channel, got %s", channels);
    checkArgument((long) width * height * channels == pixels.length,
        "a %sx%s image with %s channel(s) has %s samples but the array holds %s",
        width, height, channels, (long) width * height * channels, pixels.length);
    if (type.isInteger()) {
      for (int i = 0; i < pixels.length; i++) {
        float v = pixels[i];
        if (!(v >= 0 && v <= type.max() && v == Math.rint(v))) {
          throw new DataException("sample " + v + " at " + at(i, width, channels) + " is not a "
              + type + " value; " + type + " holds whole numbers 0.." + (int) type.max());
        }
      }
    }
  }

  /** A one-channel image. */
  public static Image gray(int width, int height, PixelType type, float[] pixels) {
    return new Image(width, height, 1, type, pixels);
  }

  /** The sample of channel {@code c} at {@code (x, y)}. */
  public float get(int x, int y, int c) {
    checkElementIndex(x, width, "x");
    checkElementIndex(y, height, "y");
    checkElementIndex(c, channels, "channel");
    return pixels[(y * width + x) * channels + c];
  }

  /** One channel, row-major (a copy). */
  public float[] channel(int c) {
    checkElementIndex(c, channels, "channel");
    float[] out = new float[width * height];
    for (int i = 0, j = c; i < out.length; i++, j += channels) {
      out[i] = pixels[j];
    }
    return out;
  }

  /**
   * One channel as exact integers, row-major: label images. Always succeeds for 8- and 16-bit
   * images.
   *
   * @throws DataException when a sample is not a whole number that a float holds
   *     exactly (a float image of probabilities, say), naming the first one
   */
  public int[] channelAsInts(int c) {
    checkElementIndex(c, channels, "channel");
    int[] out = new int[width * height];
    for (int i = 0, j = c; i < out.length; i++, j += channels) {
      float v = pixels[j];
      // Beyond 2^24 a float no longer tells neighbouring integers apart.
      if (v != Math.rint(v) || Math.abs(v) > (1 << 24)) {
        throw new DataException("channel " + c + " holds " + v + " at " + at(j, width, channels)
            + ", which is not a whole number up to 2^24 = 16777216; label images hold integer labels,"
            + " saved as 8- or 16-bit integers");
      }
      out[i] = (int) v;
    }
    return out;
  }

  private static String at(int index, int width, int channels) {
    int pixel = index / channels;
    return "(x=" + pixel % width + ", y=" + pixel / width + (channels > 1 ? ", channel " + index % channels : "") + ")";
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Image other
        && width == other.width
        && height == other.height
        && channels == other.channels
        && type == other.type
        && Arrays.equals(pixels, other.pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * (31 * width + height) + channels) + type.hashCode()) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "Image[" + width + "x" + height + ", " + channels + " channel" + (channels == 1 ? "" : "s") + ", " + type + "]";
  }
}
