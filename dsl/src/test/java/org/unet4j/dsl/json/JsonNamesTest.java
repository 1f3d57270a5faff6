package org.unet4j.dsl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.dsl.model.Activation;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.SkipMode;
import org.unet4j.dsl.recipe.ClassBalance;
import org.unet4j.dsl.recipe.CombinedLoss;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.SgdOptimizer;

class JsonNamesTest {

  @Test
  void enumConstantsAreLowerKebabCase() {
    assertEquals("center-crop", JsonNames.of(SkipMode.CENTER_CROP));
    assertEquals("isbi-membrane", JsonNames.of(LabelFormat.ISBI_MEMBRANE));
    assertEquals("inverse-frequency", JsonNames.of(ClassBalance.INVERSE_FREQUENCY));
    assertEquals("relu", JsonNames.of(Activation.RELU));
  }

  @Test
  void constantsAreFoundByTheirWrittenNameOnly() {
    assertEquals(SkipMode.CENTER_CROP, JsonNames.constant(SkipMode.class, "center-crop"));
    assertEquals(Padding.SAME, JsonNames.constant(Padding.class, "same"));
    assertNull(JsonNames.constant(SkipMode.class, "CENTER_CROP"));
    assertNull(JsonNames.constant(SkipMode.class, "center_crop"));
    assertNull(JsonNames.constant(Padding.class, "Same"));
  }

  @Test
  void variantsAreNamedByTheirTypeName() {
    assertEquals("sgd", JsonNames.of(SgdOptimizer.class));
    assertEquals("gray-value", JsonNames.of(GrayValueTransform.class));
    assertEquals("combined", JsonNames.of(CombinedLoss.class));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> JsonNames.of(Recipe.class));
    assertEquals("org.unet4j.dsl.recipe.Recipe has no @TypeName", e.getMessage());
  }

  @ParameterizedTest(name = "distance({0}, {1}) = {2}")
  @CsvSource({
      "'', '', 0",
      "'', abc, 3",
      "abc, '', 3",
      "abc, abc, 0",
      "ab, ba, 1",
      "filtres, filters, 1",
      "sdg, sgd, 1",
      "nmae, name, 1",
      "abcd, acbd, 1",
      "kitten, sitting, 3",
      "convs, conv, 1",
      "convs, xconvs, 1",
      "ca, abc, 3",
      "valid, same, 4",
  })
  void distanceCountsEditsAndNeighbourSwapsAsOne(String a, String b, int expected) {
    assertEquals(expected, JsonNames.distance(a, b));
    assertEquals(expected, JsonNames.distance(b, a), "symmetric");
  }

  @Test
  void closestSuggestsAPlausibleTypo() {
    List<String> fields = List.of("filters", "convs", "kernel", "padding", "activation", "normalization", "dropout");
    assertEquals("filters", JsonNames.closest("filtres", fields));
    assertEquals("filters", JsonNames.closest("FILTERS", fields));
    assertEquals("kernel", JsonNames.closest("kernal", fields));
    assertEquals("normalization", JsonNames.closest("normalisation", fields));
    assertEquals("sgd", JsonNames.closest("sdg", List.of("sgd", "adam")));
    assertEquals("adam", JsonNames.closest("adm", List.of("sgd", "adam")));
  }

  @Test
  void closestGivesNothingForAFarName() {
    List<String> fields = List.of("filters", "convs", "kernel");
    assertNull(JsonNames.closest("qqqqqqqq", fields));
    assertNull(JsonNames.closest("rmsprop", List.of("sgd", "adam")));
    assertNull(JsonNames.closest("x", List.of()));
    // short names allow two edits, longer ones a third of their length
    assertEquals("abc", JsonNames.closest("xyc", List.of("abc")));
    assertNull(JsonNames.closest("xyz", List.of("abc")));
    assertEquals("abcdefghi", JsonNames.closest("xyzdefghi", List.of("abcdefghi")));
    assertNull(JsonNames.closest("xyzwefghi", List.of("abcdefghi")));
  }

  @Test
  void closestPrefersTheNearestAndThenTheFirst() {
    assertEquals("steps", JsonNames.closest("stepz", List.of("seeds", "steps")));
    assertEquals("ab", JsonNames.closest("a", List.of("ab", "ac")));
  }
}
