package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.SpecJson;

/**
 * {@link Recipes#load}: files by path, bundled recipes by name. The names come from the test copy
 * of {@code unet4j/recipes/index.txt} (nuclei-demo, a copy of the bundled one, and test/tiny).
 */
class RecipeLoadTest {
  private static final String BUNDLED = "Bundled recipes: nuclei-demo, test/tiny; or give the path of a .json file";

  @TempDir
  Path dir;

  @Test
  void aFileIsReadByPath() throws IOException {
    Path file = dir.resolve("r.json");
    Files.writeString(file, Recipes.toJson(TestRecipes.tiny()));
    assertEquals(TestRecipes.tiny(), Recipes.load(file.toString()));
  }

  @Test
  void aFileNeedNotEndInJson() throws IOException {
    Path file = dir.resolve("recipe.txt");
    Files.writeString(file, TestRecipes.MINIMAL);
    assertEquals(TestRecipes.tiny(), Recipes.load(file.toString()));
  }

  @Test
  void aProblemInAFileNamesItsJsonPath() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, TestRecipes.edit(TestRecipes.MINIMAL).set("/training", "steps", "0").text());
    SpecException e = assertThrows(SpecException.class, () -> Recipes.load(file.toString()));
    assertEquals("training.steps: expected 1..1000000000, got 0", e.getMessage());
  }

  @Test
  void aMissingJsonFileSaysSo() {
    String missing = dir.resolve("missing.json").toString();
    SpecException e = assertThrows(SpecException.class, () -> Recipes.load(missing));
    assertEquals("recipe file " + missing + " does not exist", e.getMessage());
  }

  @Test
  void aFileOverOneMebibyteIsNotRead() throws IOException {
    Path file = dir.resolve("big.json");
    Files.writeString(file, TestRecipes.MINIMAL + " ".repeat(SpecJson.MAX_BYTES));
    long size = Files.size(file);
    SpecException e = assertThrows(SpecException.class, () -> Recipes.load(file.toString()));
    assertEquals("recipe file " + file + " is " + size + " bytes; recipes are limited to 1048576 bytes (1 MiB)",
        e.getMessage());
  }

  @Test
  void theBundledNamesComeFromTheIndexWithoutCommentsOrBlankLines() {
    assertEquals(List.of("nuclei-demo", "test/tiny"), Recipes.bundled());
  }

  @Test
  void aBundledRecipeIsReadByName() {
    assertEquals(TestRecipes.tiny().withName("test/tiny"), Recipes.load("test/tiny"));
    Recipe demo = Recipes.load("nuclei-demo");
    assertEquals("nuclei-demo", demo.name());
    assertEquals(3, demo.model().depth());
    assertEquals(new AdamOptimizer(0.9, 0.999, 1e-7), demo.training().optimizer());
    assertEquals(new CosineSchedule(0.05), demo.training().schedule());
    assertEquals(LabelFormat.COLOR_COMPONENTS, demo.data().labelFormat());
  }

  @Test
  void aWrittenRecipeFileIsWrittenBackByteForByte() throws IOException {
    // the nuclei demo was written by the codec: reading and writing it again changes nothing
    String text;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("unet4j/recipes/nuclei-demo.json")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals(text, Recipes.toJson(Recipes.load("nuclei-demo")));
  }

  @Test
  void anUnknownNameCloseToABundledOneSuggestsIt() {
    SpecException e = assertThrows(SpecException.class, () -> Recipes.load("nuclei-dmeo"));
    assertEquals("no recipe file or bundled recipe named \"nuclei-dmeo\"; did you mean \"nuclei-demo\"? " + BUNDLED,
        e.getMessage());
    SpecException tiny = assertThrows(SpecException.class, () -> Recipes.load("test/tiyn"));
    assertEquals("no recipe file or bundled recipe named \"test/tiyn\"; did you mean \"test/tiny\"? " + BUNDLED,
        tiny.getMessage());
  }

  @Test
  void anUnknownNameListsTheBundledOnes() {
    SpecException e = assertThrows(SpecException.class, () -> Recipes.load("paper/isbi2012"));
    assertEquals("no recipe file or bundled recipe named \"paper/isbi2012\". " + BUNDLED, e.getMessage());
  }
}
