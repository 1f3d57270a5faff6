package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;

/**
 * The class of every pixel of one image, row-major: a truth in index labels (pixel value = class
 * 0..K-1, class 0 the background, and perhaps an ignore value) or a predicted class map
 * ({@code NAME_classes.tif}). Immutable.
 */
public final class ClassMap {
  private final int width;
  private final int height;
  private final int[] classes;

  private ClassMap(int width, int height, int[] classes) {
    this.width = width;
    this.height = height;
    this.classes = classes;
  }

  /**
   * A copy of {@code classes}, {@code width * height} values >= 0.
   *
   * @throws DataException for a negative value
   */
  public static ClassMap of(int[] classes, int width, int height) {
    checkNotNull(classes, "classes");
    checkArgument(width >= 1 && height >= 1 && (long) width * height == classes.length,
        "a %sx%s image has %s pixels, got %s", width, height, (long) width * height, classes.length);
    for (int i = 0; i < classes.length; i++) {
      if (classes[i] < 0) {
        throw new DataException("class " + classes[i] + " at (x=" + i % width + ", y=" + i / width
            + ") is negative; index labels hold classes 0, 1, 2, ...");
      }
    }
    return new ClassMap(width, height, classes.clone());
  }

  /**
   * Channel 0 of an index-label image: pixel value = class.
   *
   * @throws DataException when a value is not a whole number >= 0
   */
  public static ClassMap of(Image image) {
    checkNotNull(image, "image");
    return of(image.channelAsInts(0), image.width(), image.height());
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The class at {@code (x, y)}. */
  public int get(int x, int y) {
    return classes[y * width + x];
  }

  /** A row-major copy of the classes. */
  public int[] toArray() {
    return classes.clone();
  }

  /** The classes themselves, for this package's metrics; never modified. */
  int[] array() {
    return classes;
  }

  @Override
  public String toString() {
    return "ClassMap[" + width + "x" + height + "]";
  }
}
