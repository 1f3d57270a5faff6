package org.unet4j.losses;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.CombinedLoss;
import org.unet4j.dsl.recipe.CrossEntropyLoss;
import org.unet4j.dsl.recipe.DiceLoss;
import org.unet4j.dsl.recipe.FocalLoss;
import org.unet4j.dsl.recipe.LossSpec;
import org.unet4j.dsl.recipe.LossTerm;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

class LossesTest {
  private static final OutputActivation SOFTMAX = OutputActivation.SOFTMAX;
  private static final OutputActivation SIGMOID = OutputActivation.SIGMOID;

  /** Shapes: one sigmoid channel, 2 and 3 soft-max classes, 3 sigmoid channels, a single pixel. */
  static Stream<Batch> batches() {
    return Stream.of(
        Batch.random(1, SIGMOID, 1, 1, 3, 5),
        Batch.random(2, SOFTMAX, 2, 2, 3, 5),
        Batch.random(3, SOFTMAX, 3, 1, 5, 3),
        Batch.random(4, SIGMOID, 3, 2, 2, 3),
        Batch.random(5, SOFTMAX, 2, 1, 1, 1));
  }

  static List<LossSpec> specs() {
    return List.of(
        WeightedCrossEntropyLoss.paper(),
        new CrossEntropyLoss(),
        new DiceLoss(1),
        new DiceLoss(0),
        new FocalLoss(2),
        new FocalLoss(0.5),
        new FocalLoss(0),
        new CombinedLoss(List.of(
            new LossTerm(1, WeightedCrossEntropyLoss.paper()), new LossTerm(0.5, new DiceLoss(1)))));
  }

  /** Two pixels of label 1, weight 1: the first confidently right, the second confidently wrong. */
  private static final Batch SATURATED_SOFTMAX =
      new Batch(SOFTMAX, 2, 1, 1, 2, new float[] {-60, 60, 60, -60}, new int[] {1, 1}, new float[] {1, 1});
  private static final Batch SATURATED_SIGMOID =
      new Batch(SIGMOID, 1, 1, 1, 2, new float[] {60, -60}, new int[] {1, 1}, new float[] {1, 1});

  static Stream<Arguments> everyLossOnEveryBatch() {
    return batches().flatMap(b -> specs().stream().map(s -> Arguments.of(b, s)));
  }

  private static final LossGraphs GRAPHS = new LossGraphs();

  private static GraphLoss graphOf(Batch b, LossSpec spec) {
    return GRAPHS.of(b, spec);
  }

  @AfterAll
  static void closeGraphs() {
    GRAPHS.close();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("everyLossOnEveryBatch")
  void valueMatchesDoublePrecisionReference(Batch b, LossSpec spec) {
    double expected = Reference.loss(spec, b, b.logitsAsDoubles());
    assertEquals(expected, graphOf(b, spec).value(b), 1e-5 * Math.max(1, Math.abs(expected)));
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("everyLossOnEveryBatch")
  void gradientMatchesFiniteDifferencesOfReference(Batch b, LossSpec spec) {
    double[] expected = Reference.gradient(spec, b, b.logitsAsDoubles());
    assertClose(expected, graphOf(b, spec).gradient(b), 1e-3);
  }

  /** The graph's own loss, perturbed in float32 one logit at a time, agrees with its gradient. */
  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("everyLossOnEveryBatch")
  void gradientMatchesFiniteDifferencesOfGraph(Batch b, LossSpec spec) {
    float h = 1e-2f;
    GraphLoss loss = graphOf(b, spec);
    float[] gradient = loss.gradient(b);
    double scale = maxAbs(gradient);
    int n = b.logits().length;
    for (int i : new int[] {0, n / 2, n - 1}) {
      float[] plus = b.logits().clone();
      float[] minus = b.logits().clone();
      plus[i] += h;
      minus[i] -= h;
      double difference = ((double) loss.value(b.withLogits(plus)) - loss.value(b.withLogits(minus))) / (2 * h);
      assertEquals(difference, gradient[i], 1e-2 * scale + 1e-4, "d loss / d logit " + i);
    }
  }

  /** Paper eq. 1 by hand: logits (0, ln 3) give p = (1/4, 3/4); label 1 with weight 2 costs -2 ln(3/4). */
  @Test
  void weightedCrossEntropyByHand() {
    Batch b = new Batch(SOFTMAX, 2, 1, 1, 1, new float[] {0, (float) Math.log(3)}, new int[] {1}, new float[] {2});
    GraphLoss weighted = graphOf(b, WeightedCrossEntropyLoss.paper());
    assertEquals(-2 * Math.log(0.75), weighted.value(b), 1e-6);
    assertEquals(-Math.log(0.75), graphOf(b, new CrossEntropyLoss()).value(b), 1e-6);
    // d/dx of -w log p_1 is w (p - onehot) = 2 * (1/4 - 0, 3/4 - 1) = (1/2, -1/2).
    assertArrayEquals(new float[] {0.5f, -0.5f}, weighted.gradient(b), 1e-6f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batches")
  void weightedCrossEntropyWithUnitWeightsIsCrossEntropy(Batch b) {
    float[] ones = new float[b.pixels()];
    Arrays.fill(ones, 1f);
    Batch unit = b.withWeights(ones);
    GraphLoss weighted = graphOf(b, WeightedCrossEntropyLoss.paper());
    GraphLoss plain = graphOf(b, new CrossEntropyLoss());
    assertEquals(plain.value(unit), weighted.value(unit), 1e-6);
    assertArrayEquals(plain.gradient(unit), weighted.gradient(unit), 1e-7f);
    // The plain cross-entropy ignores the weight map altogether.
    assertEquals(plain.value(unit), plain.value(b), 1e-6);
  }

  /** Each weight multiplies its own pixel's term: the loss is linear in every weight. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("batches")
  void weightsScaleTheirPixelTerm(Batch b) {
    GraphLoss weighted = graphOf(b, WeightedCrossEntropyLoss.paper());
    float[] ce;
    try (GraphLoss map = new GraphLoss(Losses::pixelCrossEntropy, b.classes(), b.activation(), false)) {
      ce = map.values(b);
    }
    assertEquals(b.pixels(), ce.length);
    double[] x = b.logitsAsDoubles();
    for (int i = 0; i < ce.length; i++) {
      assertEquals(Reference.pixelCrossEntropy(b, x, i), ce[i], 1e-5, "pixel " + i);
    }
    int last = b.pixels() - 1;
    float[] raised = b.weights().clone();
    raised[last] += 3;
    double expectedIncrease = 3.0 * ce[last] / b.pixels();
    assertEquals(expectedIncrease, weighted.value(b.withWeights(raised)) - weighted.value(b), 1e-5);
    float[] doubled = b.weights().clone();
    for (int i = 0; i < doubled.length; i++) {
      doubled[i] *= 2;
    }
    assertEquals(2 * weighted.value(b), weighted.value(b.withWeights(doubled)), 1e-5 * weighted.value(b));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batches")
  void combinedIsTheWeightedSumOfItsTerms(Batch b) {
    LossSpec a = WeightedCrossEntropyLoss.paper();
    LossSpec d = new DiceLoss(1);
    LossSpec f = new FocalLoss(2);
    CombinedLoss combined = new CombinedLoss(List.of(new LossTerm(1, a), new LossTerm(0.5, d), new LossTerm(2, f)));
    double expected = graphOf(b, a).value(b) + 0.5 * graphOf(b, d).value(b) + 2 * graphOf(b, f).value(b);
    assertEquals(expected, graphOf(b, combined).value(b), 1e-5 * Math.max(1, expected));
  }

  @Test
  void combinedTermsAreScopedByIndexAndType() {
    Batch b = Batch.random(6, SOFTMAX, 2, 1, 3, 5);
    CombinedLoss combined = new CombinedLoss(List.of(
        new LossTerm(1, new CrossEntropyLoss()), new LossTerm(1, new DiceLoss(1))));
    List<String> names = new ArrayList<>();
    graphOf(b, combined).graph().operations().forEachRemaining(op -> names.add(op.name()));
    assertTrue(names.stream().anyMatch(n -> n.startsWith("loss/combined/0/cross-entropy/")), names::toString);
    assertTrue(names.stream().anyMatch(n -> n.startsWith("loss/combined/1/dice/")), names::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batches")
  void focalWithGammaZeroIsCrossEntropy(Batch b) {
    GraphLoss focal = graphOf(b, new FocalLoss(0));
    GraphLoss plain = graphOf(b, new CrossEntropyLoss());
    assertEquals(plain.value(b), focal.value(b), 1e-6 * Math.max(1, plain.value(b)));
    assertArrayEquals(plain.gradient(b), focal.gradient(b), 1e-6f);
  }

  /**
   * Confident logits (|x| = 60): exp(60) overflows float32 and 1 - p_t rounds to 0, yet every
   * loss and gradient stays finite.
   */
  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("extremeCases")
  void saturatedLogitsGiveFiniteLossesAndGradients(Batch b, LossSpec spec) {
    GraphLoss loss = graphOf(b, spec);
    float value = loss.value(b);
    assertTrue(Float.isFinite(value), () -> spec + ": " + value);
    for (float g : loss.gradient(b)) {
      assertTrue(Float.isFinite(g), () -> spec + " gradient " + g);
    }
  }

  static Stream<Arguments> extremeCases() {
    return Stream.of(SATURATED_SOFTMAX, SATURATED_SIGMOID)
        .flatMap(b -> specs().stream().map(s -> Arguments.of(b, s)));
  }

  /** The confidently wrong pixel costs its margin: (0 + 120) / 2 for the soft-max, (0 + 60) / 2 for one sigmoid. */
  @Test
  void saturatedCrossEntropyValues() {
    assertEquals(60, graphOf(SATURATED_SOFTMAX, new CrossEntropyLoss()).value(SATURATED_SOFTMAX), 1e-4);
    assertEquals(30, graphOf(SATURATED_SIGMOID, new CrossEntropyLoss()).value(SATURATED_SIGMOID), 1e-4);
  }

  /**
   * At logits exactly 0 (a fresh or dead head) the sigmoid cross-entropy's gradient is
   * (sigmoid(0) - z) / P = (1/2 - z) / P, not the -z / P the relu/abs formula's subgradients give.
   */
  @Test
  void sigmoidGradientAtZeroLogitsIsExact() {
    Batch b = new Batch(SIGMOID, 1, 1, 1, 2, new float[] {0, 0}, new int[] {1, 0}, new float[] {1, 1});
    GraphLoss loss = graphOf(b, new CrossEntropyLoss());
    assertEquals(Math.log(2), loss.value(b), 1e-6);
    assertArrayEquals(new float[] {-0.25f, 0.25f}, loss.gradient(b), 1e-7f);
  }

  /** A custom loss is a plain lambda (in Kotlin, {@code Loss { tf, inputs -> ... }}). */
  @Test
  void lambdaLossBuildsAndDifferentiates() {
    Loss meanSquaredLogit = (tf, inputs) ->
        tf.math.mean(tf.math.square(inputs.logits()), tf.constant(new int[] {0, 1, 2, 3}));
    Batch b = Batch.random(7, SOFTMAX, 3, 1, 3, 5);
    try (GraphLoss loss = new GraphLoss(meanSquaredLogit, b.classes(), b.activation())) {
      double expected = 0;
      for (float x : b.logits()) {
        expected += (double) x * x;
      }
      expected /= b.logits().length;
      assertEquals(expected, loss.value(b), 1e-5);
      float[] gradient = loss.gradient(b);
      for (int i = 0; i < gradient.length; i++) {
        assertEquals(2.0 * b.logits()[i] / b.logits().length, gradient[i], 1e-6);
      }
    }
  }

  /** A custom lambda can reuse the inputs' one-hot labels and combine with a built-in loss. */
  @Test
  void lambdaLossComposesWithBuiltInLoss() {
    Loss dice = Losses.of(new DiceLoss(1));
    Loss cePlusDice = (tf, inputs) ->
        tf.math.add(Losses.of(new CrossEntropyLoss()).build(tf, inputs), dice.build(tf, inputs));
    Batch b = Batch.random(8, SOFTMAX, 3, 2, 3, 5);
    double[] x = b.logitsAsDoubles();
    double expected = Reference.loss(new CrossEntropyLoss(), b, x) + Reference.dice(b, x, 1);
    try (GraphLoss loss = new GraphLoss(cePlusDice, b.classes(), b.activation())) {
      assertEquals(expected, loss.value(b), 1e-5);
    }
  }

  @Test
  void paperWeightedLossAndGivenClassWeightsBuildTheSameGraphLoss() {
    // w0, sigma and the class balance only shape the fed weight map.
    Batch b = Batch.random(9, SOFTMAX, 2, 1, 3, 5);
    LossSpec given = new WeightedCrossEntropyLoss(3, 2, ClassBalance.GIVEN, List.of(1.0, 2.0));
    assertEquals(graphOf(b, WeightedCrossEntropyLoss.paper()).value(b), graphOf(b, given).value(b));
  }

  private static void assertClose(double[] expected, float[] actual, double relativeToMax) {
    assertEquals(expected.length, actual.length);
    double tolerance = relativeToMax * Math.max(maxAbs(expected), 1e-3);
    assertAll(IntStream.range(0, expected.length).mapToObj(i -> (Executable) () ->
        assertEquals(expected[i], actual[i], tolerance, "gradient element " + i)));
  }

  private static double maxAbs(float[] values) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static double maxAbs(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
