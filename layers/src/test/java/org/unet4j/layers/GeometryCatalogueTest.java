package org.unet4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.model.Block;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.geometry.TestNets;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;

/**
 * Every net of the geometry engine's tests, compiled at its two smallest valid inputs: the graph's
 * layers are the model's blocks, one each, in their order, and its static shapes, layer by layer,
 * and its parameter count equal the geometry engine's.
 */
class GeometryCatalogueTest {
  static List<Named<ModelSpec>> nets() {
    return TestNets.all();
  }

  @ParameterizedTest
  @MethodSource("nets")
  void compiledShapesAndParametersEqualTheGeometry(ModelSpec spec) {
    Geometry geometry = spec.geometry();
    int smallest = geometry.smallestValidInput();
    for (int tile : new int[] {smallest, geometry.validInputAbove(smallest).getAsInt()}) {
      try (CompiledModel model = ModelCompiler.compile(spec, tile, 3)) {
        assertEquals(geometry.parameterCount(), model.parameterCount(), "parameters");
        assertEquals(spec.blocks().stream().map(Block::path).toList(), List.copyOf(model.layers().keySet()),
            "compiled layers");
        int out = geometry.outputSize(tile);
        assertArrayEquals(new long[] {-1, out, out, spec.classes()}, model.logits().shape().asArray(), "logits");
        for (LayerShape layer : geometry.layers(tile)) {
          assertArrayEquals(new long[] {-1, layer.height(), layer.width(), layer.channels()},
              model.layers().get(layer.path()).shape().asArray(), layer.path() + " at tile " + tile);
        }
      }
    }
  }
}
