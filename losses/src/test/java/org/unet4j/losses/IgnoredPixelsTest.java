package org.unet4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.DiceLoss;
import org.unet4j.dsl.recipe.LossSpec;

/**
 * Pixels labelled {@link LossInputs#IGNORED} change no loss: neither the value nor the gradient moves
 * when their logits change, their own gradient is 0, and that holds whatever weight they are fed.
 */
class IgnoredPixelsTest {
  private static final LossGraphs GRAPHS = new LossGraphs();

  private static GraphLoss graphOf(Batch b, LossSpec spec) {
    return GRAPHS.of(b, spec);
  }

  @AfterAll
  static void closeGraphs() {
    GRAPHS.close();
  }

  static Stream<Arguments> everyLossOnEveryBatch() {
    return LossesTest.batches().flatMap(b -> LossesTest.specs().stream().map(s -> Arguments.of(ignoring(b), s)));
  }

  /**
   * {@code b} with every third pixel from the second on ignored (its weight kept: the loss must not
   * need it to be 0); a one-pixel batch keeps its pixel, since Dice without smoothing is 0/0 on none.
   */
  private static Batch ignoring(Batch b) {
    int[] labels = b.labels().clone();
    for (int i = 1; i < labels.length; i += 3) {
      labels[i] = LossInputs.IGNORED;
    }
    return new Batch(b.activation(), b.classes(), b.batch(), b.height(), b.width(), b.logits(), labels, b.weights());
  }

  /** {@code b} with the logits of its ignored pixels replaced by other random ones. */
  private static Batch otherIgnoredLogits(Batch b) {
    Random random = new Random(7);
    float[] logits = b.logits().clone();
    for (int p = 0; p < b.pixels(); p++) {
      if (b.labels()[p] == LossInputs.IGNORED) {
        for (int c = 0; c < b.classes(); c++) {
          logits[p * b.classes() + c] = (float) (5 * random.nextGaussian());
        }
      }
    }
    return b.withLogits(logits);
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("everyLossOnEveryBatch")
  void ignoredPredictionsChangeNeitherValueNorGradient(Batch b, LossSpec spec) {
    GraphLoss loss = graphOf(b, spec);
    Batch other = otherIgnoredLogits(b);
    float value = loss.value(b);
    assertEquals(value, loss.value(other), 1e-6 * Math.max(1, Math.abs(value)));
    float[] gradient = loss.gradient(b);
    float[] otherGradient = loss.gradient(other);
    for (int i = 0; i < gradient.length; i++) {
      boolean ignored = b.labels()[i / b.classes()] == LossInputs.IGNORED;
      if (ignored) {
        assertEquals(0f, gradient[i], "d loss / d logit " + i + " of an ignored pixel");
      } else {
        assertEquals(gradient[i], otherGradient[i], 1e-6, "d loss / d logit " + i);
      }
    }
  }

  /**
   * Dice of soft-max classes sums only the foreground classes, so an ignored pixel must count as a
   * background pixel predicted as background with certainty: in neither sum.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("softmaxBatches")
  void diceCountsIgnoredPixelsInNeitherSum(Batch b) {
    float[] logits = b.logits().clone();
    int[] labels = b.labels().clone();
    for (int p = 0; p < b.pixels(); p++) {
      if (labels[p] == LossInputs.IGNORED) {
        labels[p] = 0;
        for (int c = 0; c < b.classes(); c++) {
          logits[p * b.classes() + c] = c == 0 ? 60 : -60;
        }
      }
    }
    Batch certainBackground = new Batch(b.activation(), b.classes(), b.batch(), b.height(), b.width(), logits,
        labels, b.weights());
    GraphLoss dice = graphOf(b, new DiceLoss(1));
    assertEquals(dice.value(certainBackground), dice.value(b), 1e-6);
  }

  static Stream<Batch> softmaxBatches() {
    return LossesTest.batches().filter(b -> b.activation() == OutputActivation.SOFTMAX).map(IgnoredPixelsTest::ignoring);
  }
}
