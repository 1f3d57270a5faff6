package org.unet4j.losses;

import java.util.function.ToDoubleFunction;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.CombinedLoss;
import org.unet4j.dsl.recipe.CrossEntropyLoss;
import org.unet4j.dsl.recipe.DiceLoss;
import org.unet4j.dsl.recipe.FocalLoss;
import org.unet4j.dsl.recipe.LossSpec;
import org.unet4j.dsl.recipe.LossTerm;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/**
 * Independent double-precision losses, written straight from their textbook definitions (explicit
 * probabilities, then logs), one pixel at a time; the graph code reshapes, uses fused ops and
 * log-space formulas instead. Valid for moderate logits, which is what the tests draw.
 */
final class Reference {
  private Reference() {}

  static double loss(LossSpec spec, Batch b, double[] x) {
    if (spec instanceof WeightedCrossEntropyLoss) {
      double sum = 0;
      for (int i = 0; i < b.pixels(); i++) {
        sum += b.weights()[i] * pixelCrossEntropy(b, x, i);
      }
      return sum / b.pixels();
    }
    if (spec instanceof CrossEntropyLoss) {
      double sum = 0;
      for (int i = 0; i < b.pixels(); i++) {
        sum += pixelCrossEntropy(b, x, i);
      }
      return sum / b.pixels();
    }
    if (spec instanceof DiceLoss d) {
      return dice(b, x, d.smooth());
    }
    if (spec instanceof FocalLoss f) {
      return focal(b, x, f.gamma());
    }
    if (spec instanceof CombinedLoss c) {
      double sum = 0;
      for (LossTerm t : c.terms()) {
        sum += t.weight() * loss(t.loss(), b, x);
      }
      return sum;
    }
    throw new AssertionError(spec);
  }

  /** Central differences of {@link #loss} in double precision, for every logit. */
  static double[] gradient(LossSpec spec, Batch b, double[] x) {
    return gradient(v -> loss(spec, b, v), x);
  }

  static double[] gradient(ToDoubleFunction<double[]> f, double[] x) {
    double h = 1e-6;
    double[] g = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[i] += h;
      minus[i] -= h;
      g[i] = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * h);
    }
    return g;
  }

  /** -log p_label for a soft-max; the sum over channels of the binary cross-entropies for sigmoids. */
  static double pixelCrossEntropy(Batch b, double[] x, int pixel) {
    double[] p = probabilities(b, x, pixel);
    if (b.activation() == OutputActivation.SOFTMAX) {
      return -Math.log(p[b.labels()[pixel]]);
    }
    double sum = 0;
    for (int c = 0; c < b.classes(); c++) {
      double z = target(b, pixel, c);
      sum += -(z * Math.log(p[c]) + (1 - z) * Math.log(1 - p[c]));
    }
    return sum;
  }

  /** 1 - mean over foreground channels of (2 sum p y + s) / (sum p + sum y + s), sums over the batch. */
  static double dice(Batch b, double[] x, double smooth) {
    int first = b.classes() == 1 ? 0 : 1;
    double[] intersection = new double[b.classes()];
    double[] sumP = new double[b.classes()];
    double[] sumY = new double[b.classes()];
    for (int i = 0; i < b.pixels(); i++) {
      double[] p = probabilities(b, x, i);
      for (int c = first; c < b.classes(); c++) {
        double y = target(b, i, c);
        intersection[c] += p[c] * y;
        sumP[c] += p[c];
        sumY[c] += y;
      }
    }
    double mean = 0;
    for (int c = first; c < b.classes(); c++) {
      mean += (2 * intersection[c] + smooth) / (sumP[c] + sumY[c] + smooth);
    }
    return 1 - mean / (b.classes() - first);
  }

  /** Mean over pixels of -(1 - p_t)^gamma log p_t (summed over channels for sigmoids). */
  static double focal(Batch b, double[] x, double gamma) {
    double sum = 0;
    for (int i = 0; i < b.pixels(); i++) {
      double[] p = probabilities(b, x, i);
      if (b.activation() == OutputActivation.SOFTMAX) {
        double pt = p[b.labels()[i]];
        sum += -Math.pow(1 - pt, gamma) * Math.log(pt);
      } else {
        for (int c = 0; c < b.classes(); c++) {
          double pt = target(b, i, c) == 1 ? p[c] : 1 - p[c];
          sum += -Math.pow(1 - pt, gamma) * Math.log(pt);
        }
      }
    }
    return sum / b.pixels();
  }

  /** exp(x_c) / sum exp(x_k), or 1 / (1 + exp(-x_c)) per channel. */
  static double[] probabilities(Batch b, double[] x, int pixel) {
    int n = b.classes();
    double[] p = new double[n];
    if (b.activation() == OutputActivation.SIGMOID) {
      for (int c = 0; c < n; c++) {
        p[c] = 1 / (1 + Math.exp(-x[pixel * n + c]));
      }
      return p;
    }
    double total = 0;
    for (int c = 0; c < n; c++) {
      p[c] = Math.exp(x[pixel * n + c]);
      total += p[c];
    }
    for (int c = 0; c < n; c++) {
      p[c] /= total;
    }
    return p;
  }

  /** The one-hot target of channel c: label == c, or label == 1 for a single sigmoid channel. */
  static double target(Batch b, int pixel, int c) {
    int label = b.labels()[pixel];
    return (b.classes() == 1 ? label == 1 : label == c) ? 1 : 0;
  }
}
