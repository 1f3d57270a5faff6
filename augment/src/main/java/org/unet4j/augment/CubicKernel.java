package org.unet4j.augment;

/**
 * Keys' cubic convolution kernel with a = -0.5 (Catmull-Rom): the weights of the four samples at
 * offsets -1, 0, 1, 2 around a point at fraction t in [0, 1) past sample 0. They sum to 1 and
 * reproduce constants, linear and quadratic functions exactly; at t = 0 they are (0, 1, 0, 0), so
 * an unshifted image is copied bit for bit.
 */
final class CubicKernel {
  private CubicKernel() {}

  static double w0(double t) {
    return ((-0.5 * t + 1.0) * t - 0.5) * t;
  }

  static double w1(double t) {
    return (1.5 * t - 2.5) * t * t + 1.0;
  }

  static double w2(double t) {
    return ((-1.5 * t + 2.0) * t + 0.5) * t;
  }

  static double w3(double t) {
    return (0.5 * t - 0.5) * t * t;
  }
}
