package org.unet4j.recipes.data;

/** Deterministic seeds for a (run seed, step) pair: SplitMix64's finaliser over both. */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed 64-bit seed from a run seed and a counter. */
  public static long mix(long seed, long counter) {
    long z = seed + 0x9E3779B97F4A7C15L * (counter + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
