package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.UNet;

/** A graph compiled for any size gives, at every valid size, what a graph compiled for that tile gives. */
class AnySizeTest {
  /** Valid contracting path, same-padded expanding stage, a skip-less level: crops of several sizes. */
  private static final ModelSpec NET = UNet.builder().depth(2).baseFilters(3).classes(3)
      .expanding(e -> e.stage(6, s -> s.noSkip()).stage(3, s -> s.padding(Padding.SAME))).build();

  @Test
  void outputsMatchTheFixedTileGraphAtSeveralSizes() {
    Geometry geometry = NET.geometry();
    int small = geometry.smallestValidInput();
    int large = geometry.validInputAbove(small).getAsInt();
    try (CompiledModel any = ModelCompiler.compileForAnySize(NET, 5);
         Session session = new Session(any.graph())) {
      assertArrayEquals(new long[] {-1, -1, -1, 1}, any.input().shape().asArray());
      assertArrayEquals(new long[] {-1, -1, -1, 3}, any.logits().shape().asArray());
      assertThrows(IllegalStateException.class, any::outputSize);
      assertFalse(any.tile().isPresent());
      for (int size : new int[] {small, large}) {
        try (TFloat32 image = Tensors.image(any, size, 1, size, size);
             Result result = session.runner().feed(any.input(), image).fetch(any.probabilities()).run()) {
          TFloat32 p = (TFloat32) result.get(0);
          int out = geometry.outputSize(size);
          assertEquals(out, any.outputSize(size));
          assertArrayEquals(new long[] {1, out, out, 3}, p.shape().asArray());
          assertArrayEquals(fixedTile(size, image), Tensors.values(p), 1e-6f, "size " + size);
        }
      }
      // Height and width are independent: a non-square valid input.
      try (TFloat32 image = Tensors.image(any, 9, 1, small, large);
           Result result = session.runner().feed(any.input(), image).fetch(any.probabilities()).run()) {
        assertArrayEquals(new long[] {1, geometry.outputSize(small), geometry.outputSize(large), 3},
            result.get(0).shape().asArray());
      }
    }
  }

  private static float[] fixedTile(int size, TFloat32 image) {
    try (CompiledModel model = ModelCompiler.compile(NET, size, 5);
         Session session = new Session(model.graph());
         Result result = session.runner().feed(model.input(), image).fetch(model.probabilities()).run()) {
      return Tensors.values((TFloat32) result.get(0));
    }
  }
}
