package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipes;

/** How many tiles, copies included, one run of the net takes. */
class TileBatchingTest {
  /**
   * Depth 1 from 8 filters at tile 46, every output map by hand: 44²x8, 42²x8, pooled 21²x8,
   * 19²x16, 17²x16, up-convolved 34²x8, concatenated 34²x16, 32²x8, 30²x8 and the head's 30²x2.
   */
  @Test
  void activationsAreEveryOutputMapOfOneTile() {
    ModelSpec tiny = UNet.builder().depth(1).baseFilters(8).build();
    long values = 44 * 44 * 8 + 42 * 42 * 8 + 21 * 21 * 8 + 19 * 19 * 16 + 17 * 17 * 16 + 34 * 34 * 8
        + 34 * 34 * 16 + 32 * 32 * 8 + 30 * 30 * 8 + 30 * 30 * 2;
    assertEquals(4 * values, TileBatching.activationBytes(tiny, 46));
  }

  @Test
  void copiesJoinTheirTileWhileTheBatchFitsTheBudget() {
    ModelSpec demo = Recipes.load("nuclei-demo").model();
    long perTile = TileBatching.activationBytes(demo, 252);
    assertTrue(perTile * 8 <= TileBatching.ACTIVATION_BUDGET_BYTES, perTile + " bytes a tile");
    assertEquals(1, TileBatching.tilesPerBatch(demo, 252, 1, 1), "no copies: the batch size");
    assertEquals(8, TileBatching.tilesPerBatch(demo, 252, 1, 8));
    assertEquals(12, TileBatching.tilesPerBatch(demo, 252, 3, 4));
    // 5 tiles of 8 copies would exceed the budget: as many as fit, but never fewer than 5.
    long fits = TileBatching.ACTIVATION_BUDGET_BYTES / perTile;
    assertTrue(fits > 5 && fits < 40, "fits " + fits);
    assertEquals(fits, TileBatching.tilesPerBatch(demo, 252, 5, 8));
  }

  /** The paper's net at 572 and 700: one tile fills the budget, so copies run one after another. */
  @Test
  void largeTilesKeepTheBatchSize() {
    ModelSpec paper = UNet.paper();
    assertTrue(TileBatching.activationBytes(paper, 572) > TileBatching.ACTIVATION_BUDGET_BYTES / 2);
    assertEquals(1, TileBatching.tilesPerBatch(paper, 572, 1, 8));
    assertEquals(1, TileBatching.tilesPerBatch(paper, 700, 1, 8));
    assertEquals(2, TileBatching.tilesPerBatch(paper, 700, 2, 4), "never below the batch size asked for");
  }

  @Test
  void badCountsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TileBatching.tilesPerBatch(UNet.paper(), 572, 0, 8));
    assertEquals("batchSize and copies must be positive, got 0 and 8", e.getMessage());
  }
}
