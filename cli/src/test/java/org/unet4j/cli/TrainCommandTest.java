package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataPair;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.TinyData;
import org.unet4j.recipes.train.MetricsLog;

class TrainCommandTest {
  @TempDir Path dir;

  private Path recipeFile;

  @BeforeEach
  void data() throws IOException {
    TinyData.write(dir.resolve("data"), 4, 80, 9);
    Recipe recipe = new Recipe("tiny-data", "", UNet.builder().depth(2).baseFilters(4).build(),
        WeightedCrossEntropyLoss.paper(), AugmentationSpec.paper(),
        new TrainingSpec(AdamOptimizer.defaults(), 0.01, new ConstantSchedule(), 0, 6, 2, 60, 5, 3, 3),
        new DataSpec("data/images", "data/masks", LabelFormat.COLOR_COMPONENTS, NormalizationSpec.percentile(), 0.25),
        new InferenceSpec(60, 1, TestTimeAugmentation.NONE, 0.5, 0, false));
    recipeFile = dir.resolve("tiny.json");
    Files.writeString(recipeFile, Recipes.toJson(recipe));
  }

  @Test
  void trainsResumesWithMoreStepsAndRecordsTheResolvedRecipe() throws IOException {
    Path run = dir.resolve("run");
    CliRun first = CliRun.of("train", recipeFile.toString(), "--out", run.toString());
    assertEquals(0, first.status(), first.err());
    assertTrue(first.out().contains("trained tiny-data: 6 steps (6 in this run"), first.out());
    Recipe recorded = Recipes.load(run.resolve("recipe.json").toString());
    // Data paths are recorded resolved against the recipe file's folder.
    assertEquals(dir.resolve("data/images").toString(), recorded.data().images());
    assertTrue(MetricsLog.read(run.resolve("metrics.csv")).stream().anyMatch(r -> !Double.isNaN(r.validationLoss())),
        "validation runs every 3 steps");

    CliRun more = CliRun.of("train", "--out", run.toString(), "--resume", "--set", "training.steps=9");
    assertEquals(0, more.status(), more.err());
    assertTrue(more.out().contains("9 steps (3 in this run"), more.out());
    assertEquals(9, Recipes.load(run.resolve("recipe.json").toString()).training().steps());
    assertEquals(9, MetricsLog.read(run.resolve("metrics.csv")).size());
  }

  /** The ISBI 2012 layout: an image stack and a label stack, paired with data.pairs, trained a few steps. */
  @Test
  void trainsFromAnImageStackPairedWithItsLabelStack() throws IOException {
    List<Image> images = new ArrayList<>();
    List<Image> labels = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      images.add(ImageIo.read(dir.resolve("data/images/img" + i + ".tif")));
      labels.add(ImageIo.read(dir.resolve("data/masks/img" + i + ".png")));
    }
    ImageIo.writeTiffPages(Files.createDirectories(dir.resolve("isbi")).resolve("train-volume.tif"), images);
    ImageIo.writeTiffPages(dir.resolve("isbi/train-labels.tif"), labels);
    Recipe stacks = Recipes.load(recipeFile.toString()).toBuilder()
        .training(t -> t.steps(2).validateEvery(0).checkpointEvery(2))
        .data(d -> d.images("").labels("").pair("isbi/train-volume.tif", "isbi/train-labels.tif")).build();
    Path file = Files.writeString(dir.resolve("stacks.json"), Recipes.toJson(stacks));
    Path run = dir.resolve("run");
    CliRun r = CliRun.of("train", file.toString(), "--out", run.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("trained tiny-data: 2 steps"), r.out());
    assertEquals(List.of(new DataPair(dir.resolve("isbi/train-volume.tif").toString(),
        dir.resolve("isbi/train-labels.tif").toString())), Recipes.load(run.resolve("recipe.json").toString())
        .data().pairs());
  }

  @Test
  void pathsGivenWithSetResolveAgainstTheWorkingDirectoryNotTheRecipesFolder() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    String images = here.relativize(dir.resolve("data/images")).toString();
    String masks = here.relativize(dir.resolve("data/masks")).toString();
    Path run = dir.resolve("run");
    CliRun r = CliRun.of("train", recipeFile.toString(), "--out", run.toString(), "--set", "training.steps=1",
        "--set", "data.images=" + images, "--set", "data.labels=" + masks);
    assertEquals(0, r.status(), r.err());
    Recipe recorded = Recipes.load(run.resolve("recipe.json").toString());
    assertEquals(dir.resolve("data/images").toString(), recorded.data().images());
    assertEquals(dir.resolve("data/masks").toString(), recorded.data().labels());
  }

  @Test
  void aBundledRecipesDataResolvesAgainstTheWorkingDirectory() {
    CliRun r = CliRun.of("augment", "paper/isbi2012", "--count", "1", "--out", dir.resolve("sheet").toString());
    assertEquals(Unet4j.USAGE, r.status());
    assertEquals("unet4j augment: data.pairs[0].images: \"" + Path.of("").toAbsolutePath()
        .resolve("data/isbi2012/train-volume.tif") + "\" does not exist (looked for " + Path.of("").toAbsolutePath()
        .resolve("data/isbi2012/train-volume.tif") + ")", r.err().strip());
  }

  @Test
  void invalidOverrideNamesThePathAndTheAllowedRange() {
    CliRun run = CliRun.of("train", recipeFile.toString(), "--out", dir.resolve("r").toString(), "--set",
        "training.steps=0");
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j train: --set training.steps: expected 1..1000000000, got 0", run.err().strip());
    assertFalse(Files.exists(dir.resolve("r")), "nothing is written for a bad recipe");
  }

  @Test
  void missingDataIsAOneLineError() throws IOException {
    Files.writeString(recipeFile, Files.readString(recipeFile).replace("data/masks", "data/labels"));
    CliRun run = CliRun.of("train", recipeFile.toString(), "--out", dir.resolve("r").toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertTrue(run.err().startsWith("unet4j train: data.labels: \"" + dir.resolve("data/labels")
        + "\" does not exist"), run.err());
  }

  @Test
  void resumeWithoutARunAndTrainWithoutARecipeAreExplained() {
    CliRun none = CliRun.of("train", "--out", dir.resolve("nothing").toString());
    assertEquals(Unet4j.USAGE, none.status());
    assertTrue(none.err().contains("give a RECIPE"), none.err());
    CliRun resume = CliRun.of("train", "--out", dir.resolve("nothing").toString(), "--resume");
    assertEquals(Unet4j.USAGE, resume.status());
    assertTrue(resume.err().contains("holds no run"), resume.err());
  }

  @Test
  void anOutputThatCannotHoldARunIsRefusedBeforeTheDataIsRead() throws IOException {
    // The data is missing too: the output folder is checked first, before anything is loaded.
    Files.writeString(recipeFile, Files.readString(recipeFile).replace("data/masks", "data/labels"));
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    CliRun run = CliRun.of("train", recipeFile.toString(), "--out", file.resolve("run").toString());
    assertEquals(Unet4j.USAGE, run.status());
    assertEquals("unet4j train: cannot create " + file.resolve("run") + ": " + file + " is a file, not a folder",
        run.err().strip());
  }

  @Test
  void aResumeWithEveryCheckpointDamagedNamesTheRestartOption() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, CliRun.of("train", recipeFile.toString(), "--out", run.toString()).status());
    for (String name : new String[] {"ckpt-000000003", "ckpt-000000006"}) {
      try (var files = Files.list(run.resolve("checkpoints").resolve(name))) {
        Path data = files.filter(p -> p.getFileName().toString().startsWith("model.data")).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(data, bytes);
      }
    }
    CliRun refused = CliRun.of("train", "--out", run.toString(), "--resume");
    assertEquals(Unet4j.USAGE, refused.status());
    assertTrue(refused.err().startsWith("unet4j train: none of the 2 checkpoints of " + run + " can be used"),
        refused.err());
    assertTrue(refused.err().strip().endsWith("start the run again from step 0 (add --restart)"), refused.err());

    CliRun misplaced = CliRun.of("train", "--out", run.toString(), "--restart");
    assertEquals(Unet4j.USAGE, misplaced.status());
    assertTrue(misplaced.err().contains("--restart applies to --resume only"), misplaced.err());

    CliRun again = CliRun.of("train", "--out", run.toString(), "--resume", "--restart");
    assertEquals(0, again.status(), again.err());
    assertTrue(again.out().contains("6 steps (6 in this run"), again.out());
  }
}
