package org.unet4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.CrossEntropyLoss;
import org.unet4j.dsl.recipe.DiceLoss;
import org.unet4j.dsl.recipe.FocalLoss;
import org.unet4j.dsl.recipe.LossSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;

/** A 3D net's rank-5 loss inputs: every built-in loss is its loss over the volume's voxels. */
class VolumeLossTest {
  // B = 2 blocks of D = 3 planes of 2 x 2 voxels, C = 2 classes.
  private static final int B = 2;
  private static final int D = 3;
  private static final int N = B * D * 4;

  @Test
  void everyBuiltInLossOnVolumesIsTheLossOfTheirPlanesAsImages() {
    Random random = new Random(5);
    float[] logits = new float[N * 2];
    int[] labels = new int[N];
    float[] weights = new float[N];
    for (int i = 0; i < N; i++) {
      logits[2 * i] = (float) random.nextGaussian();
      logits[2 * i + 1] = (float) random.nextGaussian();
      labels[i] = random.nextInt(2);
      weights[i] = i % 5 == 0 ? 0 : 0.5f + random.nextFloat();
    }
    double byHand = 0;
    for (int i = 0; i < N; i++) {
      double l0 = logits[2 * i];
      double l1 = logits[2 * i + 1];
      double max = Math.max(l0, l1);
      double logSum = max + Math.log(Math.exp(l0 - max) + Math.exp(l1 - max));
      byHand += weights[i] * (logSum - (labels[i] == 1 ? l1 : l0));
    }
    byHand /= N;
    List<LossSpec> specs = List.of(new WeightedCrossEntropyLoss(10, 5, ClassBalance.NONE, List.of()),
        new CrossEntropyLoss(), new DiceLoss(1), new FocalLoss(2));
    for (LossSpec spec : specs) {
      float volume = run(spec, logits, labels, weights, Shape.of(B, D, 2, 2, 2), Shape.of(B, D, 2, 2));
      float planes = run(spec, logits, labels, weights, Shape.of(B * D, 2, 2, 2), Shape.of(B * D, 2, 2));
      assertEquals(planes, volume, 1e-6f, spec.toString());
    }
    assertEquals(byHand, run(specs.get(0), logits, labels, weights, Shape.of(B, D, 2, 2, 2), Shape.of(B, D, 2, 2)),
        1e-5);
  }

  @Test
  void labelsMustHaveOneRankLessThanTheLogits() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> logits = tf.zeros(tf.constant(new int[] {1, 2, 2, 2, 2}), TFloat32.class);
      Operand<TInt32> labels = tf.zeros(tf.constant(new int[] {1, 2, 2}), TInt32.class);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LossInputs.unweighted(tf, logits, labels, 2, OutputActivation.SOFTMAX));
      assertTrue(e.getMessage().startsWith("labels: expected rank 4 [B, D, H, W]"), e.getMessage());
      Operand<TInt32> volumeLabels = tf.zeros(tf.constant(new int[] {1, 2, 2, 2}), TInt32.class);
      assertTrue(LossInputs.unweighted(tf, logits, volumeLabels, 2, OutputActivation.SOFTMAX).volumes());
      Operand<TFloat32> imageLogits = tf.zeros(tf.constant(new int[] {1, 2, 2, 2}), TFloat32.class);
      LossInputs images = LossInputs.unweighted(tf, imageLogits, labels, 2, OutputActivation.SOFTMAX);
      assertFalse(images.volumes());
      assertEquals(images, images.planes(tf));
    }
  }

  private static float run(LossSpec spec, float[] logits, int[] labels, float[] weights, Shape logitShape,
      Shape labelShape) {
    try (Graph g = new Graph(); Session s = new Session(g);
        TFloat32 l = TFloat32.tensorOf(logitShape, DataBuffers.of(logits, true, false));
        TInt32 y = TInt32.tensorOf(labelShape, DataBuffers.of(labels, true, false));
        TFloat32 w = TFloat32.tensorOf(labelShape, DataBuffers.of(weights, true, false))) {
      Ops tf = Ops.create(g);
      LossInputs inputs = LossInputs.of(tf, tf.constantOf(l), tf.constantOf(y), tf.constantOf(w), 2,
          OutputActivation.SOFTMAX);
      Operand<TFloat32> loss = Losses.of(spec).build(tf, inputs);
      try (Result r = s.runner().fetch(loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }
}
