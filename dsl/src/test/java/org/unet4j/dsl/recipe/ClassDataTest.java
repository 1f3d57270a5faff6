package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.dsl.recipe.TestRecipes.edit;
import static org.unet4j.dsl.recipe.TestRecipes.tiny;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;

/** The K-class data fields: the label formats' classes, {@code data.ignoreLabel} and {@code data.classColors}. */
class ClassDataTest {
  private static String withData(String field, String json) {
    return edit(Recipes.toJson(tiny())).set("/data", field, json).text();
  }

  @Test
  void leftOutTheFieldsIgnoreNothingAndListNoColours() {
    DataSpec data = Recipes.fromJson(Recipes.toJson(tiny())).data();
    assertEquals(-1, data.ignoreLabel());
    assertFalse(data.ignoresLabel());
    assertEquals(List.of(), data.classColors());
  }

  @Test
  void eachFormatSaysHowManyClassesItGives() {
    assertEquals(OptionalInt.of(2), DataSpec.builder().labelFormat(LabelFormat.COLOR_COMPONENTS).build().formatClasses());
    assertEquals(OptionalInt.of(3), DataSpec.builder().labelFormat(LabelFormat.THREE_CLASS).build().formatClasses());
    assertEquals(OptionalInt.empty(), DataSpec.builder().labelFormat(LabelFormat.INDEX).build().formatClasses());
    DataSpec colors = DataSpec.builder().labelFormat(LabelFormat.CLASS_COLORS)
        .classColors(List.of(List.of(0, 0, 0), List.of(255, 0, 0), List.of(0, 0, 255), List.of(9, 9, 9))).build();
    assertEquals(OptionalInt.of(4), colors.formatClasses());
  }

  @Test
  void anIgnoreLabelOutOfRangeIsRefusedWithItsPath() {
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(withData("ignoreLabel", "70000")));
    assertEquals("data.ignoreLabel", e.path());
    assertTrue(e.problem().contains("70000"), e.getMessage());
  }

  @Test
  void classColoursNeedTheClassColorsFormat() {
    SpecException e = assertThrows(SpecException.class,
        () -> Recipes.fromJson(withData("classColors", "[[0, 0, 0], [255, 0, 0]]")));
    assertEquals("data.classColors: colours are listed but labelFormat is instance; they apply to class-colors only:"
        + " set labelFormat to class-colors or drop them", e.getMessage());
  }

  @Test
  void badClassTablesAreRefusedNamingTheEntry() {
    String format = "\"class-colors\"";
    String text = edit(Recipes.toJson(tiny())).set("/data", "labelFormat", format).text();
    SpecException none = assertThrows(SpecException.class, () -> Recipes.fromJson(text));
    assertEquals("data.classColors: labelFormat class-colors needs one [r, g, b] colour per class, at least 2"
        + " (class 0 first), got 0", none.getMessage());
    SpecException pair = assertThrows(SpecException.class, () -> Recipes.fromJson(edit(text)
        .set("/data", "classColors", "[[0, 0, 0], [255, 0]]").text()));
    assertEquals("data.classColors[1]: expected [r, g, b], 3 values, got 2", pair.getMessage());
    SpecException twice = assertThrows(SpecException.class, () -> Recipes.fromJson(edit(text)
        .set("/data", "classColors", "[[0, 0, 0], [255, 0, 0], [0, 0, 0]]").text()));
    assertEquals("data.classColors[2]: colour [0, 0, 0] is also class 0's; every class needs its own colour",
        twice.getMessage());
    SpecException word = assertThrows(SpecException.class, () -> Recipes.fromJson(edit(text)
        .set("/data", "classColors", "[[0, 0, \"red\"], [255, 0, 0]]").text()));
    assertEquals("data.classColors[0][2]", word.path());
    SpecException grey = assertThrows(SpecException.class, () -> Recipes.fromJson(edit(text)
        .set("/data", "classColors", "[[0, 0, 0], [255, 255, 255]]").set("/data", "ignoreLabel", "255").text()));
    assertEquals("data.classColors[1]: colour [255, 255, 255] is the ignore label's grey (255); choose another"
        + " colour or another ignoreLabel", grey.getMessage());
  }

  @Test
  void aClassTableRoundTrips() {
    String text = edit(Recipes.toJson(tiny())).set("/data", "labelFormat", "\"class-colors\"")
        .set("/data", "classColors", "[[0, 0, 0], [255, 0, 0], [0, 255, 0]]").set("/data", "ignoreLabel", "255").text();
    Recipe recipe = Recipes.fromJson(text);
    assertEquals(List.of(List.of(0, 0, 0), List.of(255, 0, 0), List.of(0, 255, 0)), recipe.data().classColors());
    assertEquals(255, recipe.data().ignoreLabel());
    assertEquals(recipe, Recipes.fromJson(Recipes.toJson(recipe)));
  }
}
