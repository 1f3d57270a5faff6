package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.AdamOptimizer;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ConstantSchedule;
import org.unet4j.dsl.recipe.DataSpec;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.TrainingSpec;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.train.Trainer;

class ExportCommandTest {
  /** Depth 2 from 4 filters: 60 -> 20, valid tiles 44, 48, ..., every 4 px. */
  static final Recipe TINY = new Recipe("tiny", "a tiny net for tests",
      UNet.builder().depth(2).baseFilters(4).build(), WeightedCrossEntropyLoss.paper(), AugmentationSpec.none(),
      new TrainingSpec(AdamOptimizer.defaults(), 1e-2, new ConstantSchedule(), 0, 4, 2, 60, 7, 2, 0),
      DataSpec.none(), new InferenceSpec(60, 1, TestTimeAugmentation.NONE, 0.5, 0, false));

  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void train() {
    Trainer.of(TINY, shared.resolve("run"), new SyntheticTiles(TINY.model(), 60, 2, 7)).train();
  }

  private static String run() {
    return shared.resolve("run").toString();
  }

  @Test
  void exportPrintsTheStepTheTileArithmeticAndTheSize() {
    Path out = dir.resolve("model");
    CliRun r = CliRun.of("export", run(), "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("exported  tiny at step 4 from "), r.out());
    assertTrue(r.out().contains("ckpt-000000004"), r.out());
    assertTrue(r.out().contains("tile      60 -> 20 (margin 20 px per side)"), r.out());
    assertTrue(r.out().contains("image [-1, 60, 60, 1] -> probabilities, logits [-1, 20, 20, 2]"), r.out());
    assertTrue(r.out().matches("(?s).*size      [0-9.]+ KiB in .*model.*"), r.out());
    assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(out.resolve("unet4j-model.json")));
  }

  /**
   * A run that keeps a best checkpoint exports it, as predict takes it: the step-2 checkpoint is
   * made the best by hand (a copy named best-000000002 whose meta.json adds the metric and score,
   * which lie outside its checksums), while the newest is step 4.
   */
  @Test
  void aRunsBestCheckpointIsTheOneExported() throws IOException {
    Path copy = dir.resolve("run");
    try (Stream<Path> files = Files.walk(shared.resolve("run"))) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(shared.resolve("run").relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    Path best = Files.createDirectories(copy.resolve("checkpoints/best-000000002"));
    try (Stream<Path> files = Files.list(copy.resolve("checkpoints/ckpt-000000002"))) {
      for (Path f : files.toList()) {
        Files.copy(f, best.resolve(f.getFileName().toString()));
      }
    }
    String meta = Files.readString(best.resolve("meta.json"));
    Files.writeString(best.resolve("meta.json"), meta.replaceFirst("\\{", "{\"metric\": \"iou\", \"score\": 0.5,"));

    CliRun r = CliRun.of("export", copy.toString(), "--out", dir.resolve("model").toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("exported  tiny at step 2 from "), r.out());
    assertTrue(r.out().contains("best-000000002"), r.out());
  }

  @Test
  void anotherTileAndACheckpointFolder() {
    Path out = dir.resolve("model");
    CliRun r = CliRun.of("export", shared.resolve("run/checkpoints/ckpt-000000002").toString(), "--out",
        out.toString(), "--tile", "76");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("at step 2 from"), r.out());
    assertTrue(r.out().contains("tile      76 -> 36"), r.out());
  }

  @Test
  void missingFolderIsAUserError() {
    Path missing = dir.resolve("nothing-here");
    CliRun r = CliRun.of("export", missing.toString(), "--out", dir.resolve("model").toString());
    assertUserError(r, "unet4j export: no such run directory or checkpoint folder: " + missing);
  }

  @Test
  void folderThatIsNeitherARunNorACheckpoint() throws IOException {
    Path other = Files.createDirectories(dir.resolve("photos"));
    CliRun r = CliRun.of("export", other.toString(), "--out", dir.resolve("model").toString());
    assertUserError(r, "is neither a run directory (it has no recipe.json) nor a checkpoint folder");
  }

  @Test
  void runWithoutCheckpoints() throws IOException {
    Path fresh = Files.createDirectories(dir.resolve("fresh"));
    Files.writeString(fresh.resolve("recipe.json"), Recipes.toJson(TINY), StandardCharsets.UTF_8);
    CliRun r = CliRun.of("export", fresh.toString(), "--out", dir.resolve("model").toString());
    assertUserError(r, "no checkpoint in " + fresh.resolve("checkpoints") + "; the run has not saved one yet");
  }

  @Test
  void damagedCheckpointFolder() throws IOException {
    Path run = dir.resolve("run");
    Path checkpoint = Files.createDirectories(run.resolve("checkpoints/ckpt-000000004"));
    Files.writeString(run.resolve("recipe.json"), Recipes.toJson(TINY), StandardCharsets.UTF_8);
    Path original = shared.resolve("run/checkpoints/ckpt-000000004");
    try (var files = Files.list(original)) {
      for (Path f : files.toList()) {
        Files.copy(f, checkpoint.resolve(f.getFileName().toString()));
      }
    }
    Path index = checkpoint.resolve("model.index");
    byte[] bytes = Files.readAllBytes(index);
    bytes[bytes.length / 3] ^= 0x01;
    Files.write(index, bytes);

    CliRun direct = CliRun.of("export", checkpoint.toString(), "--out", dir.resolve("a").toString());
    assertUserError(direct, "model.index does not match its checksum (the file is damaged)");
    CliRun viaRun = CliRun.of("export", run.toString(), "--out", dir.resolve("b").toString());
    assertUserError(viaRun, "no usable checkpoint in " + run.resolve("checkpoints") + ": checkpoint ");
    assertFalse(Files.exists(dir.resolve("a")));
    assertFalse(Files.exists(dir.resolve("b")));
  }

  @Test
  void invalidTileNamesTheNearestValidTiles() {
    CliRun r = CliRun.of("export", run(), "--out", dir.resolve("model").toString(), "--tile", "61");
    assertUserError(r, "unet4j export: tile 61 does not fit tiny: ");
    assertTrue(r.err().contains("Received: input 61; valid near it: 60, 64"), r.err());
  }

  @Test
  void existingNonEmptyOutputIsRefused() throws IOException {
    Path out = Files.createDirectories(dir.resolve("model"));
    Files.writeString(out.resolve("keep.txt"), "mine", StandardCharsets.UTF_8);
    CliRun r = CliRun.of("export", run(), "--out", out.toString());
    assertUserError(r, out + " already exists and is not empty; export into a new folder or remove it first");
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
  }

  @Test
  void bioimageioFormatWritesThePackageZip() throws IOException {
    Path zip = dir.resolve("tiny.zip");
    CliRun r = CliRun.of("export", run(), "--format", "bioimageio", "--out", zip.toString(), "--author", "Ada",
        "--author", "Grace", "--license", "MIT", "--tile", "64");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("packaged  step 4 as bioimage.io model 0.5."), r.out());
    assertTrue(r.out().contains("test      64 x 64 input with its output"), r.out());
    String rdf;
    try (ZipFile file = new ZipFile(zip.toFile())) {
      rdf = new String(file.getInputStream(file.getEntry("rdf.yaml")).readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(rdf.contains("- name: Ada\n") && rdf.contains("- name: Grace\n"), rdf);
    assertTrue(rdf.contains("license: MIT\n"), rdf);
  }

  @Test
  void bioimageioOptionsAreNamedByTheirFlags() {
    CliRun license = CliRun.of("export", run(), "--format", "bioimageio", "--out", dir.resolve("a.zip").toString(),
        "--license", "mine only");
    assertUserError(license, "unet4j export: --license: \"mine only\" is not an SPDX licence identifier");
    CliRun format = CliRun.of("export", run(), "--format", "onnx", "--out", dir.resolve("b.zip").toString());
    assertEquals(Unet4j.USAGE, format.status());
    assertTrue(format.err().contains("expected savedmodel or bioimageio, got onnx"), format.err());
    CliRun savedModel = CliRun.of("export", run(), "--out", dir.resolve("c").toString(), "--author", "Ada");
    assertUserError(savedModel, "unet4j export: --author, --license, --name and --test-image describe a bioimage.io"
        + " package; add --format bioimageio");
    assertFalse(Files.exists(dir.resolve("c")));
  }

  @Test
  void outIsRequired() {
    CliRun r = CliRun.of("export", run());
    assertEquals(Unet4j.USAGE, r.status());
    assertTrue(r.err().contains("Missing required option: '--out=DIR'"), r.err());
  }

  /** Exit status 2 and one line on standard error containing {@code expected}, no stack trace. */
  private static void assertUserError(CliRun r, String expected) {
    assertEquals(Unet4j.USAGE, r.status(), r.err());
    assertTrue(r.err().contains(expected), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.out().isEmpty(), r.out());
  }
}
