package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;

/**
 * Overlap tiles write one output pixel per image pixel, so a net whose output is coarser than its
 * input (issue 19) gets no tiling, with a message naming the stage counts, rather than tiles
 * placed as if its output had the input's resolution.
 */
class CoarseOutputTilingTest {
  @Test
  void refusesANetWithFewerExpandingThanContractingStages() {
    ModelSpec coarse = UNet.builder().depth(3).baseFilters(4).expanding(e -> e.stage(16)).build();
    // Input 92 is valid (the net takes 84 + 8k): the refusal is about the stride, not the size.
    assertEquals(4, coarse.geometry().outputStride());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Tiling.of(coarse, 92));
    assertEquals("the predictor needs an output at the input's resolution, but this net has 1 expanding stages for"
        + " 3 contracting ones (output stride 4); tiling needs as many expanding stages as contracting ones (output"
        + " stride 1)", e.getMessage());
  }
}
