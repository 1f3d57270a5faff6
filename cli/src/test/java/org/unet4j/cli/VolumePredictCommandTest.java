package org.unet4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Session;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.Volume;
import org.unet4j.recipes.infer.Model;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.RunDirectory;

/** {@code unet4j predict} with a 3D net: a TIFF stack is one volume, predicted as the library predicts it. */
class VolumePredictCommandTest {
  @TempDir Path dir;

  @Test
  void predictsAStackAsOneVolumeLikeTheLibrary() throws IOException {
    Recipe recipe = Recipe.builder("tiny-3d")
        .model(UNet.builder().dimensions(3).contracting(c -> c.stage(2)).bottleneck(4).build())
        .training(t -> t.tile(22))
        .inference(InferenceSpec.builder().tile(22).build())
        .build();
    Path run = dir.resolve("run");
    RunDirectory directory = new RunDirectory(run);
    Files.createDirectories(run);
    Files.writeString(directory.recipe(), Recipes.toJson(recipe));
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), new Size3(20, 22, 22), 11);
        Session session = new Session(model.graph())) {
      session.initialize();
      directory.checkpoints().save(session, Checkpoints.shapes(model), 0, 0.0);
    }
    Size3 size = new Size3(5, 9, 8);
    SplittableRandom random = new SplittableRandom(2);
    float[] voxels = new float[(int) size.voxels()];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = random.nextInt(256);
    }
    Volume volume = new Volume(size, 1, voxels, new Calibration(0.2, 0.2, 0.8, "micron"));
    Path stack = dir.resolve("cells.tif");
    volume.write(stack);

    CliRun r = CliRun.of("predict", "--model", run.toString(), "--out", dir.resolve("out").toString(),
        "--tile-z", "20", stack.toString());
    assertEquals(0, r.status(), r.err());
    // 20x22x22 tiles give 4x6x6 voxels; a step of 4 planes and 6 pixels, the margin 8 mirrored
    assertTrue(r.out().contains("tiles   20x22x22 -> 4x6x6 voxels (z, y, x), step 4x6x6, mirrored context 8x8x8"),
        r.out());
    // 5 planes: 2 slabs; 9 x 8: 2 x 2 tiles
    assertTrue(r.out().matches("(?s).*\\ncells  8x9 x 5 planes  \\d+ objects?  8 tiles  .*"), r.out());
    Volume probabilities = Volume.read(dir.resolve("out/cells_prob.tif"));
    assertEquals(size, probabilities.size());
    assertEquals(0.8, probabilities.calibration().pixelDepth(), 1e-9);
    try (Model model = Model.load(run, recipe.inference().toBuilder().tileZ(20).build())) {
      assertArrayEquals(model.predict(volume).probabilities().foreground(), probabilities.voxels());
    }

    CliRun measured = CliRun.of("predict", "--model", run.toString(), "--out", dir.resolve("measured").toString(),
        "--tile-z", "20", "--measurements", stack.toString());
    assertEquals(0, measured.status(), measured.err());
    List<String> table = Files.readAllLines(dir.resolve("measured/cells_objects.csv"));
    assertTrue(table.get(0).startsWith("label,voxels,volume[micron^3],centroidZ[voxels]"), table.get(0));
    Volume labels = Volume.read(dir.resolve("measured/cells_labels.tif"));
    int objects = 0;
    for (float v : labels.voxels()) {
      objects = Math.max(objects, (int) v);
    }
    assertEquals(objects + 1, table.size(), "a row per object");
    CliRun rois = CliRun.of("predict", "--model", run.toString(), "--out", dir.resolve("rois").toString(),
        "--tile-z", "20", "--rois", stack.toString());
    assertEquals(2, rois.status(), rois.out());
    assertTrue(rois.err().contains("NAME_rois.zip") && rois.err().contains("NAME_objects.csv"), rois.err());

    CliRun wrong = CliRun.of("predict", "--model", run.toString(), "--out", dir.resolve("bad").toString(),
        "--tile-z", "21", stack.toString());
    assertEquals(2, wrong.status(), wrong.out());
    assertTrue(wrong.err().contains("along z") && wrong.err().contains("20, 22"), wrong.err());

    // An export, at the recipe's tile and the valid depth nearest it (22x22x22 -> 6x6x6), predicts
    // the stack as the run does at that block.
    Path export = dir.resolve("export");
    CliRun exported = CliRun.of("export", run.toString(), "--out", export.toString());
    assertEquals(0, exported.status(), exported.err());
    assertTrue(exported.out().contains("signature serving_default: image [-1, 22, 22, 22, 1] -> probabilities, logits"
        + " [-1, 6, 6, 6, 2]"), exported.out());
    CliRun fromExport = CliRun.of("predict", "--model", export.toString(), "--out", dir.resolve("exp").toString(),
        stack.toString());
    assertEquals(0, fromExport.status(), fromExport.err());
    try (Model model = Model.load(run, recipe.inference().toBuilder().tileZ(22).build())) {
      assertArrayEquals(model.predict(volume).probabilities().foreground(),
          Volume.read(dir.resolve("exp/cells_prob.tif")).voxels(), 1e-6f);
    }
  }
}
