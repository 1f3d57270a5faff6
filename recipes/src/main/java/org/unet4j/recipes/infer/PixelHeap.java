package org.unet4j.recipes.infer;

import java.util.Arrays;

/**
 * The waiting pixels of a priority flood ({@link Watershed}, {@link BoundaryThinning}): a binary min-heap of
 * (key, pixel), whose keys ({@link #priority}) put the highest value first and, among equal values, the pixel that
 * has waited longest.
 */
final class PixelHeap {
  private long[] keys;
  private int[] pixels;
  int size;

  PixelHeap(int capacity) {
    keys = new long[Math.max(16, Math.min(capacity, 1 << 16))];
    pixels = new int[keys.length];
  }

  /** Smaller first: higher value, then earlier arrival. */
  static long priority(float value, int arrival) {
    int bits = Float.floatToIntBits(value);
    int ascending = bits ^ ((bits >> 31) & 0x7FFFFFFF);
    return (long) ~ascending << 32 | (arrival & 0xFFFFFFFFL);
  }

  void push(long key, int pixel) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      pixels = Arrays.copyOf(pixels, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (keys[parent] <= key) {
        break;
      }
      keys[i] = keys[parent];
      pixels[i] = pixels[parent];
      i = parent;
    }
    keys[i] = key;
    pixels[i] = pixel;
  }

  int pop() {
    int top = pixels[0];
    size--;
    long key = keys[size];
    int pixel = pixels[size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && keys[child + 1] < keys[child]) {
        child++;
      }
      if (keys[child] >= key) {
        break;
      }
      keys[i] = keys[child];
      pixels[i] = pixels[child];
      i = child;
    }
    keys[i] = key;
    pixels[i] = pixel;
    return top;
  }
}
