package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Classic TIFF or BigTIFF: classic TIFF's 32-bit offsets address at most 4 GB, BigTIFF's 64-bit
 * ones any size. Classic TIFF is read by every tool; BigTIFF by Fiji (Bio-Formats and ImageJ
 * 1.52+), libtiff, tifffile, TwelveMonkeys and unet4j ({@link BigTiffReader}), but not by the
 * JDK's own reader. So a file is written as BigTIFF only when it needs it ({@link #forPixelBytes}).
 */
public enum TiffVariant {
  /** TIFF 6.0: magic 42, 32-bit offsets, files up to 4 GB. */
  CLASSIC,
  /** BigTIFF: magic 43, 64-bit offsets and counts. */
  BIG;

  /**
   * Pixel bytes above which a file is written as BigTIFF: 4 GB less room for the directories and
   * strip tables (8 bytes per 64 KB strip, so 4 GB of pixels need about half a megabyte).
   */
  public static final long CLASSIC_PIXEL_BYTES = 0xFFFF_FFFFL - (64L << 20);

  /** The variant for a file holding {@code pixelBytes} bytes of samples. */
  public static TiffVariant forPixelBytes(long pixelBytes) {
    checkArgument(pixelBytes >= 0, "pixel bytes cannot be negative, got %s", pixelBytes);
    return pixelBytes > CLASSIC_PIXEL_BYTES ? BIG : CLASSIC;
  }
}
