package org.unet4j.recipes.eval;

/** The harmonic mean of precision and recall, as the challenge's metrics compute it. */
final class FScore {
  private FScore() {}

  /** 2PR / (P + R); 0 when P + R = 0. */
  static double of(double precision, double recall) {
    double sum = precision + recall;
    return sum == 0 ? 0 : 2 * precision * recall / sum;
  }
}
