package org.unet4j.augment;

import java.util.SplittableRandom;

/** Small deterministic inputs for the tests. */
final class TestImages {
  private TestImages() {}

  /** A sample with distinct random values everywhere, labels from {0, 3, 7}, weights 1..5. */
  static Sample random(int height, int width, int channels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] image = new float[height * width * channels];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextDouble();
    }
    int[] labels = new int[height * width];
    float[] weights = new float[height * width];
    int[] classes = {0, 3, 7};
    for (int i = 0; i < labels.length; i++) {
      labels[i] = classes[random.nextInt(3)];
      weights[i] = 1 + random.nextInt(5);
    }
    return new Sample(height, width, channels, image, labels, weights);
  }

  /** A sample whose image value, label and weight all encode the pixel index y * width + x (+ channel). */
  static Sample indexed(int height, int width, int channels) {
    float[] image = new float[height * width * channels];
    for (int i = 0; i < image.length; i++) {
      image[i] = i;
    }
    int[] labels = new int[height * width];
    float[] weights = new float[height * width];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i;
      weights[i] = 0.5f * i;
    }
    return new Sample(height, width, channels, image, labels, weights);
  }
}
