package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.model.DamagedExportException;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.train.Trainer;

/** A truncated export or checkpoint is a user-facing error naming the file, never TensorFlow's exception. */
class DamagedModelTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  @BeforeAll
  static void trainAndExport() {
    Recipe r = ExportCommandTest.TINY;
    Trainer.of(r, shared.resolve("run"), new SyntheticTiles(r.model(), 60, 2, 7)).train();
    assertEquals(0, CliRun.of("export", shared.resolve("run").toString(), "--out",
        shared.resolve("export").toString()).status());
  }

  /** A copy of the export with {@code file} cut to half its length. */
  private Path exportWithHalf(String file) throws IOException {
    Path copy = dir.resolve("export");
    for (String name : new String[] {"saved_model.pb", "recipe.json", "unet4j-model.json", "variables/variables.index",
        "variables/variables.data-00000-of-00001"}) {
      Files.createDirectories(copy.resolve(name).getParent());
      byte[] bytes = Files.readAllBytes(shared.resolve("export").resolve(name));
      Files.write(copy.resolve(name), name.equals(file) ? Arrays.copyOf(bytes, bytes.length / 2) : bytes);
    }
    return copy;
  }

  private CliRun predict(Path model) {
    Path image = dir.resolve("image.png");
    ImageIo.writePng(image, Image.gray(30, 30, PixelType.UINT8, new float[900]));
    return CliRun.of("predict", "--model", model.toString(), "--out", dir.resolve("out").toString(),
        image.toString());
  }

  private static long halfOf(String file) throws IOException {
    return Files.size(shared.resolve("export").resolve(file)) / 2;
  }

  @Test
  void truncatedVariablesNameTheDataFile() throws IOException {
    String data = "variables/variables.data-00000-of-00001";
    Path export = exportWithHalf(data);
    DamagedExportException e = assertThrows(DamagedExportException.class, () -> ExportedModel.load(export));
    assertEquals("the export " + export + " is damaged: " + data + " is truncated or damaged (" + halfOf(data)
        + " bytes; TensorFlow: Read less bytes than requested); export the run again", e.getMessage());
    CliRun run = predict(export);
    assertAll(
        () -> assertEquals(Unet4j.USAGE, run.status(), run.err()),
        () -> assertEquals("unet4j predict: " + e.getMessage() + "\n", run.err()),
        () -> assertFalse(Files.exists(dir.resolve("out/image_prob.tif"))));
  }

  @Test
  void truncatedIndexAndGraphAreNamed() throws IOException {
    String index = "variables/variables.index";
    Path export = exportWithHalf(index);
    CliRun run = predict(export);
    assertEquals(Unet4j.USAGE, run.status(), run.err());
    assertEquals("unet4j predict: the export " + export + " is damaged: " + index + " is truncated or damaged ("
        + halfOf(index) + " bytes, no table footer at its end); export the run again\n", run.err());

    Path graph = exportWithHalf("saved_model.pb");
    DamagedExportException e = assertThrows(DamagedExportException.class, () -> ExportedModel.load(graph));
    assertEquals("the export " + graph + " is damaged: saved_model.pb does not parse as a SavedModel graph ("
        + halfOf("saved_model.pb") + " bytes); export the run again", e.getMessage());
  }

  @Test
  void truncatedCheckpointIsNamed() throws IOException {
    Path checkpoint = dir.resolve("ckpt-000000004");
    Files.createDirectories(checkpoint);
    Path from = shared.resolve("run/checkpoints/ckpt-000000004");
    for (String name : new String[] {"meta.json", "model.index", "model.data-00000-of-00001"}) {
      byte[] bytes = Files.readAllBytes(from.resolve(name));
      Files.write(checkpoint.resolve(name), name.startsWith("model.data") ? Arrays.copyOf(bytes, bytes.length / 2)
          : bytes);
    }
    CliRun run = predict(from.getParent().getParent().resolve("checkpoints/ckpt-000000004"));
    assertEquals(0, run.status(), "the intact checkpoint predicts: " + run.err());
    // The damaged copy inside a run folder of its own, beside the run's recipe.
    Path runCopy = dir.resolve("run");
    Files.createDirectories(runCopy.resolve("checkpoints"));
    Files.copy(shared.resolve("run/recipe.json"), runCopy.resolve("recipe.json"));
    Files.move(checkpoint, runCopy.resolve("checkpoints/ckpt-000000004"));
    CliRun damaged = predict(runCopy.resolve("checkpoints/ckpt-000000004"));
    assertAll(
        () -> assertEquals(Unet4j.USAGE, damaged.status(), damaged.err()),
        () -> assertEquals("unet4j predict: checkpoint " + runCopy.resolve("checkpoints/ckpt-000000004")
            + ": model.data-00000-of-00001 does not match its checksum (the file is damaged)\n", damaged.err()));
  }
}
