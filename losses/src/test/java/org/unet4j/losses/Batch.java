package org.unet4j.losses;

import java.util.Random;
import org.unet4j.dsl.model.OutputActivation;

/**
 * One small batch of test inputs in row-major NHWC order: logits [B, H, W, C], labels and weights
 * [B, H, W].
 */
record Batch(
    OutputActivation activation, int classes, int batch, int height, int width,
    float[] logits, int[] labels, float[] weights) {

  /** Standard normal logits, uniform labels (0/1 for one sigmoid channel), weights in [0.5, 10.5). */
  static Batch random(long seed, OutputActivation activation, int classes, int batch, int height, int width) {
    Random random = new Random(seed);
    int pixels = batch * height * width;
    float[] logits = new float[pixels * classes];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) random.nextGaussian();
    }
    int[] labels = new int[pixels];
    float[] weights = new float[pixels];
    for (int i = 0; i < pixels; i++) {
      labels[i] = random.nextInt(Math.max(classes, 2));
      weights[i] = 0.5f + 10f * random.nextFloat();
    }
    return new Batch(activation, classes, batch, height, width, logits, labels, weights);
  }

  int pixels() {
    return batch * height * width;
  }

  Batch withLogits(float[] newLogits) {
    return new Batch(activation, classes, batch, height, width, newLogits, labels, weights);
  }

  Batch withWeights(float[] newWeights) {
    return new Batch(activation, classes, batch, height, width, logits, labels, newWeights);
  }

  double[] logitsAsDoubles() {
    double[] x = new double[logits.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = logits[i];
    }
    return x;
  }

  @Override
  public String toString() {
    return activation + " C=" + classes + " " + batch + "x" + height + "x" + width;
  }
}
