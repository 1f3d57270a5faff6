package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.UNet;

/**
 * Zero-padded nets keep the size through every convolution, so only pooling constrains the input:
 * it must divide by pool^depth, and then the up-convolutions restore it exactly (output = input,
 * margin 0). Anything else leaves a remainder at some pooling.
 */
class SamePaddingTest {

  static Stream<Arguments> nets() {
    return Stream.of(
        Arguments.of(1, 3, 2, 2), Arguments.of(2, 3, 2, 2), Arguments.of(3, 3, 2, 2), Arguments.of(4, 3, 2, 2),
        Arguments.of(5, 3, 2, 2), Arguments.of(6, 3, 1, 2), Arguments.of(4, 5, 3, 2), Arguments.of(3, 1, 1, 2),
        Arguments.of(1, 3, 2, 3), Arguments.of(2, 5, 1, 3), Arguments.of(3, 3, 2, 3), Arguments.of(2, 3, 2, 4));
  }

  @ParameterizedTest(name = "depth {0}, {2}x conv{1}, pool {3}")
  @MethodSource("nets")
  void outputEqualsInputExactlyForMultiplesOfPoolToTheDepth(int depth, int kernel, int convs, int pool) {
    ModelSpec net = UNet.builder().depth(depth).baseFilters(4).kernel(kernel).convsPerStage(convs)
        .padding(Padding.SAME).pooling(Pooling.max(pool)).build();
    Geometry geometry = net.geometry();
    int period = (int) Math.round(Math.pow(pool, depth));
    for (int n = 1; n <= Math.max(600, 3 * period); n++) {
      if (n % period == 0) {
        assertTrue(geometry.isValidInput(n), "input " + n);
        assertEquals(n, geometry.outputSize(n), "input " + n);
      } else {
        assertFalse(geometry.isValidInput(n), "input " + n);
      }
    }
    assertEquals(period, geometry.smallestValidInput());
    assertEquals(period, geometry.period());
    assertEquals(0, geometry.margin());
    assertEquals(List.of(period, 2 * period), geometry.validInputsNear(period + 1));
    assertEquals(List.of(period), geometry.validInputsNear(1));
  }

  @ParameterizedTest(name = "depth {0}")
  @MethodSource("depths")
  void everyLayerOfASameNetHasTheInputSizeOverItsPooling(int depth) {
    ModelSpec net = UNet.builder().depth(depth).baseFilters(4).padding(Padding.SAME).build();
    int n = 3 << depth; // an odd multiple of 2^depth: the deepest map is 3 pixels wide
    net.geometry().layers(n).forEach(layer -> {
      String path = layer.path();
      int level;
      if (path.startsWith("contracting/")) {
        level = Integer.parseInt(path.split("/")[1]) + (path.endsWith("/pool") ? 1 : 0);
      } else if (path.startsWith("bottleneck")) {
        level = depth;
      } else if (path.startsWith("expanding/")) {
        level = depth - 1 - Integer.parseInt(path.split("/")[1]);
      } else {
        level = 0;
      }
      assertEquals(n >> level, layer.height(), path);
      assertEquals(n >> level, layer.width(), path);
    });
  }

  static Stream<Integer> depths() {
    return Stream.of(1, 2, 3, 4, 5, 6);
  }
}
