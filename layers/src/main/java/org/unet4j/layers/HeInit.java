package org.unet4j.layers;

import java.nio.charset.StandardCharsets;

/**
 * The paper's weight initialisation (Sec. 3): a Gaussian with standard deviation
 * {@code sqrt(2 / N)}, N the number of incoming nodes of one neuron ("for a 3x3 convolution and 64
 * feature channels in the previous layer N = 9 * 64 = 576"), and the seeds that make it
 * reproducible.
 *
 * <p>tensorflow-framework's {@code He} is deliberately not used: in 1.1.0 it takes
 * {@code kh * kw * cin * cin} as the fan-in of a 4-D kernel, too small by a factor of cin.
 */
final class HeInit {
  private HeInit() {}

  /** {@code sqrt(2 / fanIn)}. */
  static float std(long fanIn) {
    if (fanIn < 1) {
      throw new IllegalArgumentException("fan-in must be positive, got " + fanIn);
    }
    return (float) Math.sqrt(2.0 / fanIn);
  }

  /** N of a {@code k x k} convolution over {@code inputChannels}: {@code k * k * cin}. */
  static long convFanIn(int kernel, int inputChannels) {
    return (long) kernel * kernel * inputChannels;
  }

  /**
   * N of a {@code p x p} up-convolution with stride {@code p} over {@code inputChannels}: cin.
   *
   * <p>With the stride equal to the kernel the output windows do not overlap, so every output pixel
   * is reached by exactly one of the {@code p x p} taps per input channel: one neuron has cin
   * incoming nodes, and {@code sqrt(2 / cin)} keeps the unit variance the paper aims for. The other
   * conventions are smaller and shrink the up-convolved maps: {@code p * p * cin} (every tap counted
   * as an input) by a factor p in std, and {@code p * p * cout} (Keras' and Caffe's fan-in of a
   * transposed kernel, the forward direction it transposes) whenever cout > cin / (p * p).
   */
  static long upConvFanIn(int inputChannels) {
    return inputChannels;
  }

  /**
   * A two-word seed for a stateless random op, a function of the model seed and the variable's
   * path only: the same spec and seed give bit-identical weights whatever else is in the graph, and
   * adding a layer does not change the others' initial values.
   */
  static long[] seed(long modelSeed, String path) {
    long h = fnv1a(path);
    long first = mix(modelSeed ^ mix(h));
    long second = mix(first + 0x9E3779B97F4A7C15L + h);
    // Stateful TF random ops treat the pair (0, 0) as "seed me from the clock".
    return new long[] {first, second == 0 && first == 0 ? 1 : second};
  }

  private static long fnv1a(String text) {
    long h = 0xCBF29CE484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    return h;
  }

  /** The finaliser of SplitMix64: a bijection that spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
