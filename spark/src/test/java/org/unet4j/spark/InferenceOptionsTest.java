package org.unet4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.ThinningMethod;

class InferenceOptionsTest {
  /** The overrides of a job reach the inference settings; unset ones keep the recipe's. */
  @Test
  void instancesPerClassOverrideTheRecipe() {
    InferenceSpec recipe = InferenceSpec.builder().build();
    assertEquals(true, new InferenceOptions(null, null, null, null, null, null, true).applyTo(recipe)
        .instancesPerClass());
    assertEquals(recipe, InferenceOptions.none().applyTo(recipe));
    InferenceSpec asked = recipe.toBuilder().instancesPerClass(true).build();
    assertEquals(false, new InferenceOptions(null, null, null, null, null, null, false).applyTo(asked)
        .instancesPerClass());
  }

  /**
   * --thin-boundaries and --no-thin-boundaries reach the settings; unset, the recipe's stays; another method than
   * ridge drops the recipe's ridge floor instead of failing on it.
   */
  @Test
  void thinBoundariesOverrideTheRecipe() {
    InferenceSpec recipe = InferenceSpec.builder().build();
    InferenceSpec thin =
        new InferenceOptions(null, null, null, null, null, null, null, ThinningMethod.RIDGE).applyTo(recipe);
    assertEquals(recipe.toBuilder().thinBoundaries(ThinningMethod.RIDGE).build(), thin);
    assertEquals(recipe,
        new InferenceOptions(null, null, null, null, null, null, null, ThinningMethod.NONE).applyTo(thin));
    assertEquals(thin, new InferenceOptions(null, null, null, 0.5, null, null, null, null).applyTo(thin));
    InferenceSpec floored = thin.toBuilder().thinFloor(0.05).build();
    InferenceSpec border =
        new InferenceOptions(null, null, null, null, null, null, null, ThinningMethod.BORDER).applyTo(floored);
    assertEquals(ThinningMethod.BORDER, border.thinBoundaries());
    assertEquals(0, border.thinFloor());
  }
}
