package org.unet4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.unet4j.dsl.model.OutputActivation;

class LossInputsTest {

  @Test
  void oneHotEncodesEveryClass() {
    Batch b = new Batch(OutputActivation.SOFTMAX, 3, 1, 1, 4, new float[12], new int[] {2, 0, 1, 2},
        new float[4]);
    try (GraphLoss oneHot = new GraphLoss((tf, inputs) -> inputs.oneHot(), 3, OutputActivation.SOFTMAX, false)) {
      assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, oneHot.values(b));
    }
  }

  @Test
  void oneSigmoidChannelTargetsTheForeground() {
    Batch b = new Batch(OutputActivation.SIGMOID, 1, 1, 1, 3, new float[3], new int[] {1, 0, 1}, new float[3]);
    try (GraphLoss oneHot = new GraphLoss((tf, inputs) -> inputs.oneHot(), 1, OutputActivation.SIGMOID, false)) {
      assertArrayEquals(new float[] {1, 0, 1}, oneHot.values(b));
    }
  }

  @Test
  void unweightedWeighsEveryPixelOne() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      LossInputs inputs = LossInputs.unweighted(tf, tf.constant(new float[1][2][3][2]), tf.constant(new int[1][2][3]),
          2, OutputActivation.SOFTMAX);
      try (Session s = new Session(g);
          Result r = s.runner().fetch(inputs.weights()).run()) {
        TFloat32 w = (TFloat32) r.get(0);
        assertEquals(Shape.of(1, 2, 3), w.shape());
        float[] values = new float[6];
        w.asRawTensor().data().asFloats().read(values);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, values);
      }
    }
  }

  @Test
  void rejectsLogitsWithOtherChannelsThanClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> build(Shape.of(-1, -1, -1, 3), Shape.of(-1, -1, -1), 2, OutputActivation.SOFTMAX));
    assertTrue(e.getMessage().startsWith("logits: 3 channels but the loss expects 2 classes"), e.getMessage());
  }

  @Test
  void rejectsASoftMaxOverOneClass() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> build(Shape.of(-1, -1, -1, 1), Shape.of(-1, -1, -1), 1, OutputActivation.SOFTMAX));
    assertTrue(e.getMessage().startsWith("classes: a soft-max over 1 class"), e.getMessage());
    assertTrue(e.getMessage().contains("sigmoid"), e.getMessage());
  }

  @Test
  void rejectsNoClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> build(Shape.unknown(), Shape.unknown(), 0, OutputActivation.SIGMOID));
    assertEquals("classes: expected at least 1, got 0", e.getMessage());
  }

  @Test
  void rejectsLabelsOfWrongRank() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> build(Shape.of(-1, -1, -1, 2), Shape.of(-1, -1, -1, 1), 2, OutputActivation.SOFTMAX));
    assertEquals("labels: expected rank 3 [B, H, W], got shape [-1, -1, -1, 1]", e.getMessage());
  }

  @Test
  void rejectsLogitsOfWrongRank() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> build(Shape.of(-1, 2), Shape.of(-1, -1, -1), 2, OutputActivation.SOFTMAX));
    assertEquals("logits: expected rank 4 [B, H, W, C] or 5 [B, D, H, W, C], got shape [-1, 2]", e.getMessage());
  }

  @Test
  void acceptsUnknownShapes() {
    LossInputs inputs = build(Shape.unknown(), Shape.unknown(), 2, OutputActivation.SOFTMAX);
    assertEquals(2, inputs.classes());
  }

  private static LossInputs build(Shape logitsShape, Shape labelsShape, int classes, OutputActivation activation) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      return LossInputs.of(tf,
          tf.placeholder(TFloat32.class, Placeholder.shape(logitsShape)),
          tf.placeholder(TInt32.class, Placeholder.shape(labelsShape)),
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1))),
          classes, activation);
    }
  }
}
