package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;

/** {@code inference.thinBoundaries} names a method, and only the ridge thinning takes a floor. */
class InferenceThinningTest {
  private static Recipe read(String inference) {
    return Recipes.fromJson(TestRecipes.MINIMAL.replace("\"inference\":{\"tile\":44}",
        "\"inference\":{\"tile\":44," + inference + "}"));
  }

  @Test
  void methodsAndFloorRead() {
    InferenceSpec ridge = read("\"thinBoundaries\":\"ridge\",\"thinFloor\":0.05").inference();
    assertEquals(ThinningMethod.RIDGE, ridge.thinBoundaries());
    assertEquals(0.05, ridge.thinFloor());
    assertEquals(ThinningMethod.BORDER, read("\"thinBoundaries\":\"border\"").inference().thinBoundaries());
    InferenceSpec defaults = read("\"threshold\":0.5").inference();
    assertEquals(ThinningMethod.NONE, defaults.thinBoundaries());
    assertEquals(0, defaults.thinFloor());
  }

  @Test
  void aFloorWithoutTheRidgeIsRefused() {
    SpecException e = assertThrows(SpecException.class,
        () -> read("\"thinBoundaries\":\"border\",\"thinFloor\":0.05"));
    assertEquals("inference.thinFloor: only ridge thinning stops at a floor, and thinBoundaries is border; use"
        + " thinBoundaries \"ridge\" or thinFloor 0 (border thinning floods every boundary pixel, as the ISBI"
        + " challenge's V_rand does)", e.getMessage());
    SpecException range = assertThrows(SpecException.class,
        () -> read("\"thinBoundaries\":\"ridge\",\"thinFloor\":1.5"));
    assertEquals("inference.thinFloor: expected 0..1, got 1.5", range.getMessage());
    SpecException name = assertThrows(SpecException.class, () -> read("\"thinBoundaries\":\"skeleton\""));
    assertEquals("inference.thinBoundaries: expected one of \"none\", \"border\", \"ridge\", got \"skeleton\"",
        name.getMessage());
  }

  /** Another method than ridge drops a floor set before it, so that switching methods cannot fail on it. */
  @Test
  void theBuilderDropsTheFloorWithTheRidge() {
    InferenceSpec.Builder builder = InferenceSpec.builder().thinBoundaries(ThinningMethod.RIDGE).thinFloor(0.1);
    assertEquals(0.1, builder.build().thinFloor());
    InferenceSpec border = builder.thinBoundaries(ThinningMethod.BORDER).build();
    assertEquals(0, border.thinFloor());
    assertThrows(SpecException.class, () -> InferenceSpec.builder().thinBoundaries(ThinningMethod.BORDER)
        .thinFloor(0.1).build());
  }
}
