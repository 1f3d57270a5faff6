package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.UNet;

/**
 * Geometry against {@link ReferenceUNet}, an independent layer-by-layer simulator, for every input
 * size 1..600 of every net in {@link TestNets}: which sizes are valid, the output size, the stage
 * an invalid size breaks at, the nearest valid sizes, the smallest valid size and the margin.
 */
class GeometryReferenceTest {
  private static final int SWEEP = 600;

  static Stream<Named<ModelSpec>> nets() {
    return TestNets.all().stream();
  }

  @ParameterizedTest
  @MethodSource("nets")
  void validityAndOutputSizeMatchTheReferenceForEveryInputUpTo600(ModelSpec net) {
    Geometry geometry = net.geometry();
    for (int n = 1; n <= SWEEP; n++) {
      ReferenceUNet.Outcome ref = ReferenceUNet.probe(net, n);
      assertEquals(ref.valid(), geometry.isValidInput(n), "isValidInput(" + n + ")");
      if (ref.valid()) {
        assertEquals(ref.outputSize(), geometry.outputSize(n), "outputSize(" + n + ")");
        assertNull(geometry.whyInvalid(n), "whyInvalid(" + n + ")");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("nets")
  void smallestValidInputMatchesTheReference(ModelSpec net) {
    List<Integer> valid = ReferenceUNet.validInputs(net, SWEEP, Geometry.MAX_INPUT);
    assertFalse(valid.isEmpty(), "the reference finds a valid size");
    int smallest = valid.get(0);
    assertEquals(smallest, net.geometry().smallestValidInput());
    assertEquals(ReferenceUNet.probe(net, smallest).outputSize(), net.geometry().outputSize(smallest));
  }

  /**
   * For a sample of invalid sizes: the failing stage, the nearest valid sizes and the message. The
   * sample: size 1, three sizes spread over the sweep, the neighbours of the first valid sizes and,
   * for each kind of stage other than pooling (contracting and expanding convolutions and crops,
   * bottleneck, head) that some size fails at, the largest size failing there.
   * Each call scans for valid sizes, so nets with no valid size in the sweep get one sample.
   */
  @ParameterizedTest
  @MethodSource("nets")
  void invalidInputsNameTheFailingStageAndTheNearestValidSizes(ModelSpec net) {
    Geometry geometry = net.geometry();
    // valid sizes up to the sweep, then the first one above it
    List<Integer> valid = ReferenceUNet.validInputs(net, SWEEP, Geometry.MAX_INPUT);
    Set<Integer> samples = new TreeSet<>();
    if (valid.get(0) > SWEEP) {
      samples.add(SWEEP);
    } else {
      Map<String, Integer> lastFailure = new HashMap<>();
      for (int n = 1; n <= SWEEP; n++) {
        ReferenceUNet.Outcome ref = ReferenceUNet.probe(net, n);
        if (!ref.valid() && !ref.failure().endsWith(".pool")) {
          // one per kind of stage: below the smallest valid size every call scans down to 1
          lastFailure.put(ref.failure().replaceAll("\\[\\d+]", ""), n);
        }
      }
      samples.addAll(lastFailure.values());
      samples.addAll(List.of(1, 199, 398, 597));
      for (int v : valid.subList(0, Math.min(2, valid.size()))) {
        samples.add(v - 1);
        samples.add(v + 1);
      }
    }
    for (int n : samples) {
      ReferenceUNet.Outcome ref = ReferenceUNet.probe(net, n);
      if (ref.valid()) {
        continue;
      }
      List<Integer> near = nearest(valid, n);
      SpecException why = geometry.whyInvalid(n);
      assertNotNull(why, "whyInvalid(" + n + ")");
      assertEquals(ref.failure(), why.path(), "failing stage of input " + n);
      String tail = "Received: input " + n + "; valid near it: "
          + near.stream().map(String::valueOf).collect(Collectors.joining(", "));
      assertTrue(why.getMessage().startsWith(ref.failure() + ": "), why.getMessage());
      assertTrue(why.getMessage().endsWith(tail), why.getMessage() + " should end with " + tail);
      if (valid.contains(n - 1) || valid.contains(n + 1)) { // short scans: cheap enough to repeat
        assertEquals(near, geometry.validInputsNear(n), "validInputsNear(" + n + ")");
        int input = n;
        SpecException thrown = assertThrows(SpecException.class, () -> geometry.outputSize(input));
        assertEquals(why.getMessage(), thrown.getMessage());
      }
    }
  }

  /**
   * The margin is the context lost per side: input - stride x output = 2 x margin for every valid
   * input, with stride = pool^(stages without an expanding partner).
   */
  @ParameterizedTest
  @MethodSource("nets")
  void marginAndStrideHoldForEveryValidInput(ModelSpec net) {
    Geometry geometry = net.geometry();
    int stride = 1;
    for (int i = net.expanding().size(); i < net.depth(); i++) {
      stride *= net.pooling().size();
    }
    assertEquals(stride, geometry.outputStride());
    int period = 1;
    for (int i = 0; i < net.depth(); i++) {
      period *= net.pooling().size();
    }
    assertEquals(period, geometry.period());
    int margin = geometry.margin();
    for (int n : ReferenceUNet.validInputs(net, SWEEP, Geometry.MAX_INPUT)) {
      assertEquals(2 * margin, n - stride * ReferenceUNet.probe(net, n).outputSize(), "input " + n);
    }
  }

  static Stream<Arguments> layerCases() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(Arguments.of(Named.of("paper", UNet.paper()), 572));
    cases.add(Arguments.of(Named.of("paper", UNet.paper()), 188));
    cases.add(Arguments.of(TestNets.family("valid", 3, 2, 3, Padding.VALID, 2), 140));
    cases.add(Arguments.of(TestNets.family("same", 2, 2, 3, Padding.SAME, 3), 27));
    cases.add(Arguments.of(Named.of("batch norm, pool 3", UNet.builder().depth(2).baseFilters(4).batchNorm()
        .pooling(Pooling.max(3)).build()), 0));
    for (Named<ModelSpec> net : TestNets.special()) {
      cases.add(Arguments.of(net, 0));
    }
    return cases.stream();
  }

  /**
   * Every layer's path, kind and height x width x channels against the reference, at the given
   * input (0: the smallest valid one, and the one after it).
   */
  @ParameterizedTest
  @MethodSource("layerCases")
  void layerShapesMatchTheReference(ModelSpec net, int input) {
    List<Integer> inputs = new ArrayList<>();
    if (input > 0) {
      inputs.add(input);
    } else {
      int smallest = ReferenceUNet.validInputs(net, SWEEP, Geometry.MAX_INPUT).get(0);
      inputs.add(smallest);
      inputs.add(smallest + net.geometry().period());
    }
    for (int n : inputs) {
      ReferenceUNet.Outcome ref = ReferenceUNet.run(net, n, false);
      assertTrue(ref.valid(), "input " + n);
      List<LayerShape> layers = net.geometry().layers(n);
      assertEquals(ref.layers().size(), layers.size(), () -> "layers at " + n + ": " + layers);
      for (int i = 0; i < layers.size(); i++) {
        ReferenceUNet.Layer want = ref.layers().get(i);
        LayerShape got = layers.get(i);
        String where = "layer " + i + " at input " + n;
        assertEquals(want.path(), got.path(), where);
        assertEquals(want.kind(), got.kind(), where + " " + got.path());
        assertEquals(want.size(), got.height(), where + " " + got.path());
        assertEquals(want.size(), got.width(), where + " " + got.path());
        assertEquals(want.channels(), got.channels(), where + " " + got.path());
      }
      assertEquals(ref.outputSize(), layers.get(layers.size() - 1).height());
      assertEquals("head", layers.get(layers.size() - 1).path());
    }
  }

  /** The valid sizes nearest {@code n} from below and above, from a sorted list. */
  private static List<Integer> nearest(List<Integer> valid, int n) {
    List<Integer> near = new ArrayList<>();
    Integer below = null;
    Integer above = null;
    for (int v : valid) {
      if (v < n) {
        below = v;
      } else if (v > n && above == null) {
        above = v;
      }
    }
    if (below != null) {
      near.add(below);
    }
    if (above != null) {
      near.add(above);
    }
    assertFalse(near.isEmpty());
    return near;
  }
}
