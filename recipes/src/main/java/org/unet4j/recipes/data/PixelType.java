package org.unet4j.recipes.data;

/** How an image's samples are stored on disk; {@link Image} holds them as floats either way. */
public enum PixelType {
  /** Unsigned 8-bit integers, 0..255. */
  UINT8(8, 255),
  /** Unsigned 16-bit integers, 0..65535. */
  UINT16(16, 65535),
  /** 32-bit IEEE floats (TIFF SampleFormat 3). */
  FLOAT32(32, Float.MAX_VALUE);

  private final int bits;
  private final float max;

  PixelType(int bits, float max) {
    this.bits = bits;
    this.max = max;
  }

  /** Bits per sample. */
  public int bits() {
    return bits;
  }

  /** Whether samples are integers (every type but {@link #FLOAT32}). */
  public boolean isInteger() {
    return this != FLOAT32;
  }

  /** The largest value a sample can hold: 255, 65535, or the largest finite float. */
  public float max() {
    return max;
  }
}
