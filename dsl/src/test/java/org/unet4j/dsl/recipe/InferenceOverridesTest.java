package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class InferenceOverridesTest {
  private static final InferenceSpec RECIPE = new InferenceSpec(252, 4, TestTimeAugmentation.MIRRORS, 0.5, 15, true,
      InstanceMethod.COMPONENTS, 0.9);

  @Test
  void nullsKeepTheRecipesValues() {
    assertEquals(RECIPE, RECIPE.overriddenBy(null, null, null, null, null, null));
  }

  @Test
  void givenValuesReplaceTheirsAndPostProcessingStays() {
    InferenceSpec overridden = RECIPE.overriddenBy(412, 1, TestTimeAugmentation.DIHEDRAL, 0.7,
        InstanceMethod.WATERSHED, 0.95);
    assertEquals(new InferenceSpec(412, 1, TestTimeAugmentation.DIHEDRAL, 0.7, 15, true, InstanceMethod.WATERSHED,
        0.95), overridden);
    assertSame(TestTimeAugmentation.MIRRORS, RECIPE.overriddenBy(null, 2, null, null, null, null).tta());
  }
}
