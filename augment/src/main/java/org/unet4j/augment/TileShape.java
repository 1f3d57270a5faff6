package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The sizes of one training tile: the image tile the net reads (its input, e.g. 572) and the
 * centred crop of labels and weights it predicts (its output, e.g. 388). With an odd difference
 * between the two the crop sits half a pixel towards the top left ({@link #labelTop()} rounds down).
 */
public record TileShape(int imageHeight, int imageWidth, int labelHeight, int labelWidth) {

  public TileShape {
    checkArgument(imageHeight > 0 && imageWidth > 0,
        "image tile must be positive, got %sx%s", imageHeight, imageWidth);
    checkArgument(labelHeight > 0 && labelWidth > 0,
        "label crop must be positive, got %sx%s", labelHeight, labelWidth);
    checkArgument(labelHeight <= imageHeight && labelWidth <= imageWidth,
        "label crop %sx%s is larger than the image tile %sx%s",
        labelHeight, labelWidth, imageHeight, imageWidth);
  }

  /** A square image tile of {@code imageSize} with a centred square label crop of {@code labelSize}. */
  public static TileShape square(int imageSize, int labelSize) {
    return new TileShape(imageSize, imageSize, labelSize, labelSize);
  }

  /** Image, labels and weights all of the same size. */
  public static TileShape uncropped(int height, int width) {
    return new TileShape(height, width, height, width);
  }

  /** Row of the image tile where the label crop starts. */
  public int labelTop() {
    return (imageHeight - labelHeight) / 2;
  }

  /** Column of the image tile where the label crop starts. */
  public int labelLeft() {
    return (imageWidth - labelWidth) / 2;
  }
}
