package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;

/**
 * {@code training.tileZ}: a 3D net's training block along z. The depth-1 net below with unpadded
 * 3x3x3 convolutions takes, along each axis, n -> n - 4 (even, pooled) -> (n - 4) / 2 - 4 = m,
 * up-convolved to 2 m - 4 >= 1, so m >= 3: every even n from 18 on, worked out by hand.
 */
class TrainingBlockTest {
  private static final ModelSpec VOLUME = UNet.builder().dimensions(3).depth(1).baseFilters(2).build();

  private static Recipe recipe(ModelSpec model, int tileZ) {
    return Recipe.builder("block").model(model)
        .training(t -> t.tile(44).tileZ(tileZ))
        .inference(i -> i.tile(44))
        .build();
  }

  @Test
  void theBlockIsTheTileInPlaneAndTileZAlongZ() {
    assertEquals(new Size3(20, 44, 44), VOLUME.volumeGeometry().inputForTile(44, 20));
    assertEquals(new Size3(18, 44, 44), VOLUME.volumeGeometry().inputForTile(44, 18));
    assertEquals(20, recipe(VOLUME, 20).training().tileZ());
  }

  @Test
  void zeroKeepsTheValidSizeNearestTheTile() {
    assertEquals(0, TrainingSpec.builder().build().tileZ());
    assertEquals(new Size3(44, 44, 44), VOLUME.volumeGeometry().inputForTile(44, 0));
    assertEquals(VOLUME.volumeGeometry().inputForTile(44), VOLUME.volumeGeometry().inputForTile(44, 0));
  }

  @Test
  void anInvalidTileZNamesTheNearestValidSizes() {
    SpecException e = assertThrows(SpecException.class, () -> recipe(VOLUME, 19));
    assertTrue(e.getMessage().startsWith("training.tileZ: tileZ 19 does not fit the model: model."), e.getMessage());
    assertTrue(e.getMessage().contains("valid near it: 18, 20"), e.getMessage());
    SpecException small = assertThrows(SpecException.class, () -> recipe(VOLUME, 16));
    assertTrue(small.getMessage().contains("valid near it: 18"), small.getMessage());
    SpecException block = assertThrows(SpecException.class, () -> VOLUME.volumeGeometry().inputForTile(44, 21));
    assertTrue(block.getMessage().contains("along z"), block.getMessage());
  }

  @Test
  void aTwoDimensionalNetTakesNoTileZ() {
    SpecException e = assertThrows(SpecException.class, () -> recipe(UNet.builder().depth(1).baseFilters(2).build(), 20));
    assertEquals("training.tileZ: tileZ 20 is for 3D nets (model.dimensions 3), this net is 2D: leave it 0",
        e.getMessage());
  }

  @Test
  void tileZIsWrittenReadAndOverridden() {
    Recipe r = recipe(VOLUME, 20);
    String json = Recipes.toJson(r);
    assertTrue(json.contains("\"tileZ\": 20"), json);
    assertEquals(r, Recipes.fromJson(json));
    assertEquals(22, Recipes.withOverrides(r, List.of("training.tileZ=22")).training().tileZ());
    SpecException e = assertThrows(SpecException.class, () -> Recipes.withOverrides(r, List.of("training.tileZ=-1")));
    assertTrue(e.getMessage().contains("tileZ"), e.getMessage());
  }
}
