package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.dsl.recipe.TestRecipes.edit;
import static org.unet4j.dsl.recipe.TestRecipes.tiny;
import static org.unet4j.dsl.recipe.TestRecipes.withData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.SpecException;

/** {@code data.pairs}, the rule of where relative data paths resolve, and {@code inference.probabilityOf}. */
class DataPairsTest {
  @TempDir Path dir;

  @Test
  void pairsAndImagesTogetherAreRefusedNamingBothForms() {
    String text = edit(Recipes.toJson(tiny())).set("/data", "images", "\"a\"").set("/data", "labels", "\"b\"")
        .set("/data", "pairs", "[{\"images\": \"v.tif\", \"labels\": \"l.tif\"}]").text();
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(text));
    assertEquals("data.pairs", e.path());
    assertTrue(e.problem().contains("images and labels (folders paired by file name) or pairs"), e.getMessage());
  }

  @Test
  void aPairWithoutLabelsIsRefusedWithItsPath() {
    String text = edit(Recipes.toJson(tiny()))
        .set("/data", "pairs", "[{\"images\": \"v.tif\", \"labels\": \"l.tif\"}, {\"images\": \"w.tif\", \"labels\": \"\"}]")
        .text();
    SpecException e = assertThrows(SpecException.class, () -> Recipes.fromJson(text));
    assertEquals("data.pairs[1].labels: empty; name the label file, folder or glob of \"w.tif\"", e.getMessage());
  }

  @Test
  void aVersionOneRecipeKeepsItsMeaning() {
    // Written as version 1 did: no pairs, no probabilityOf.
    String v1 = edit(Recipes.toJson(withData(tiny(), new DataSpec("img", "lab", LabelFormat.BINARY,
        NormalizationSpec.percentile(), 0.2)))).set("", "formatVersion", "1").remove("/data", "pairs")
        .remove("/inference", "probabilityOf").text();
    Recipe read = Recipes.fromJson(v1);
    assertEquals(List.of(), read.data().pairs());
    assertEquals("img", read.data().images());
    assertEquals(ProbabilityOf.FOREGROUND, read.inference().probabilityOf());
  }

  @Test
  void relativePathsResolveAgainstTheBaseAndOthersStay() {
    Path base = dir.resolve("recipes");
    DataSpec data = DataSpec.builder().pair("em/../em/train-volume.tif", "/abs/train-labels.tif")
        .pair("imgs/*.tif", "labs").build();
    DataSpec resolved = data.resolvedAgainst(base);
    assertEquals(List.of(new DataPair(base + "/em/train-volume.tif", "/abs/train-labels.tif"),
        new DataPair(base + "/imgs/*.tif", base + "/labs")), resolved.pairs());
    assertEquals("", resolved.images(), "an empty pattern stays empty");
    DataSpec byName = new DataSpec("images", "/data/masks", LabelFormat.INSTANCE, NormalizationSpec.percentile(), 0);
    assertEquals(base + "/images", byName.resolvedAgainst(base).images());
    assertEquals("/data/masks", byName.resolvedAgainst(base).labels());
  }

  @Test
  void aRecipeFilesPathsResolveAgainstItsFolderABundledOnesAgainstTheWorkingDirectory() throws IOException {
    Path file = Files.createDirectories(dir.resolve("my/recipes")).resolve("r.json");
    Files.writeString(file, Recipes.toJson(tiny()));
    assertEquals(dir.resolve("my/recipes"), Recipes.dataBase(file.toString()));
    assertEquals(Path.of(System.getProperty("user.dir")), Recipes.dataBase("nuclei-demo"));
  }

  @Test
  void theBackgroundProbabilityIsOneMinusTheForegroundsAndBack() {
    float[] foreground = {0f, 0.25f, 1f};
    float[] background = ProbabilityOf.BACKGROUND.fromForeground(foreground);
    assertEquals(List.of(1f, 0.75f, 0f), List.of(background[0], background[1], background[2]));
    float[] back = ProbabilityOf.BACKGROUND.toForeground(background);
    assertEquals(List.of(0f, 0.25f, 1f), List.of(back[0], back[1], back[2]));
    assertEquals(foreground, ProbabilityOf.FOREGROUND.fromForeground(foreground), "foreground maps are not copied");
  }
}
