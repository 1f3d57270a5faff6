package org.unet4j.augment;

/**
 * Deterministic seed derivation with the SplitMix64 finaliser, so that every sample of a run gets
 * its own, well separated seed from (run seed, step, sample index) alone, independent of threads
 * and of the order in which samples are prepared.
 */
public final class Seeds {
  /** 2^64 / golden ratio, the SplitMix64 increment (Steele, Lea, Flood 2014). */
  static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private Seeds() {}

  /** The seed of sample {@code index} in optimizer step {@code step} of the run seeded {@code runSeed}. */
  public static long forSample(long runSeed, long step, long index) {
    return derive(derive(runSeed, step), index);
  }

  /**
   * A seed for sub-stream {@code salt} of {@code seed}: the {@code salt+1}-th output of a SplitMix64
   * generator started from the mixed seed. Different salts give statistically independent streams.
   */
  public static long derive(long seed, long salt) {
    return mix64(mix64(seed + GOLDEN_GAMMA) + (salt + 1) * GOLDEN_GAMMA);
  }

  /** The SplitMix64 finaliser (Stafford's variant 13): a bijection that scrambles every bit. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
