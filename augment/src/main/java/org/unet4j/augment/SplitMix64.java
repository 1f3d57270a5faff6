package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.random.RandomGenerator;

/**
 * SplitMix64 with its derived draws written out here rather than taken from the JDK: the JDK's
 * {@code nextGaussian} (a ziggurat since 17) uses {@code Math.exp}/{@code Math.log}, whose last
 * bit may differ between CPUs, and its bounded draws are not specified. With this class and
 * {@link StrictMath} a seed gives the same numbers on every machine and JDK.
 *
 * <p>Not thread-safe; every sample and transform gets its own instance.
 */
final class SplitMix64 implements RandomGenerator {
  private long state;
  private double spareGaussian;
  private boolean hasSpareGaussian;

  SplitMix64(long seed) {
    this.state = seed;
  }

  @Override
  public long nextLong() {
    state += Seeds.GOLDEN_GAMMA;
    return Seeds.mix64(state);
  }

  @Override
  public int nextInt() {
    return (int) (nextLong() >>> 32);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  @Override
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), by rejection so that every value has the same chance. */
  @Override
  public int nextInt(int bound) {
    checkArgument(bound > 0, "bound must be positive, got %s", bound);
    int bits;
    int value;
    do {
      bits = (int) (nextLong() >>> 33);
      value = bits % bound;
    } while (bits - value + (bound - 1) < 0);
    return value;
  }

  /** Uniform in [low, high). */
  double uniform(double low, double high) {
    return low + (high - low) * nextDouble();
  }

  /** Standard normal by Marsaglia's polar method; the second value of each pair is kept. */
  @Override
  public double nextGaussian() {
    if (hasSpareGaussian) {
      hasSpareGaussian = false;
      return spareGaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double factor = StrictMath.sqrt(-2 * StrictMath.log(s) / s);
    spareGaussian = v * factor;
    hasSpareGaussian = true;
    return u * factor;
  }
}
