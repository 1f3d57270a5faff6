package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.augment.VolumeSample;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.LabelledImage;
import org.unet4j.recipes.data.LabelledVolume;
import org.unet4j.recipes.data.VolumeDataset;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * A 3D net trains through {@link Training} on synthetic volumes the test makes itself: ellipsoid
 * cells, two of them touching, in a stack whose planes lie 3 times as far apart as its pixels.
 */
class VolumeTrainingTest {
  /** 3x3x3 convolutions, one 2x2x2 pooling: tile 20 gives 20x20x20 -> 4x4x4. */
  static final ModelSpec NET = UNet.builder().dimensions(3)
      .contracting(c -> c.stage(4))
      .bottleneck(8)
      .build();
  static final Size3 SIZE = new Size3(8, 32, 32);
  static final int IGNORE = 9;

  @TempDir Path dir;

  static Recipe recipe(int steps, AugmentationSpec augmentation) {
    return TinyRecipes.tinyAdam(steps, steps).toBuilder().name("tiny-3d").model(NET).augmentation(augmentation)
        .training(TinyRecipes.tinyAdam(steps, steps).training().toBuilder().tile(20).build()).build();
  }

  /** Bright ellipsoids (radius 5 in y and x, 2 planes in z) on a dark noisy background. */
  static LabelledVolume ellipsoids(long seed, boolean sparse) {
    Random random = new Random(seed);
    float[] voxels = new float[(int) SIZE.voxels()];
    int[] cells = new int[voxels.length];
    double[][] centres = {{3, 10, 10}, {4, 10, 19.5}, {4, 23, 14}};
    for (int z = 0, i = 0; z < SIZE.z(); z++) {
      for (int y = 0; y < SIZE.y(); y++) {
        for (int x = 0; x < SIZE.x(); x++, i++) {
          voxels[i] = 20 + random.nextInt(10);
          for (int c = 0; c < centres.length; c++) {
            double dz = (z - centres[c][0]) / 2.0;
            double dy = (y - centres[c][1]) / 5.0;
            double dx = (x - centres[c][2]) / 5.0;
            if (dz * dz + dy * dy + dx * dx <= 1) {
              voxels[i] = 200 + random.nextInt(10);
              cells[i] = c + 1;
            }
          }
          if (sparse && z % 3 != 1) {
            cells[i] = IGNORE;
          }
        }
      }
    }
    return LabelledVolume.of(SIZE, voxels, cells, new VoxelSpacing(3, 1, 1), sparse ? IGNORE : -1);
  }

  @Test
  void aTiny3dNetTrainsAndItsLossFalls() {
    List<Double> losses = new ArrayList<>();
    TrainingResult result = Training.of(recipe(20, AugmentationSpec.none()))
        .data(TrainingData.volumes(List.of(ellipsoids(1, false), ellipsoids(2, false))))
        .listener(TrainingListener.onEveryStep(e -> losses.add(e.loss())))
        .threads(1)
        .run(dir.resolve("run"));
    assertEquals(20, result.steps());
    assertEquals(20, losses.size());
    double first = losses.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    double last = losses.subList(15, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    assertTrue(last < 0.8 * first, "loss " + losses);
  }

  @Test
  void validationVolumesSelectTheBestCheckpointOfA3dRun() {
    Recipe recipe = TinyRecipes.with(recipe(4, AugmentationSpec.none()), "training.validateEvery=2",
        "training.selectBy=\"iou\"");
    List<ValidationEvent> seen = new ArrayList<>();
    TrainingResult result = Training.of(recipe)
        .data(TrainingData.volumes(List.of(ellipsoids(1, false)), List.of(ellipsoids(2, false))))
        .listener(TrainingListener.onEveryValidation(seen::add))
        .threads(1)
        .run(dir.resolve("best"));
    assertEquals(2, seen.size());
    // The kept checkpoint is the validation with the higher IoU, the first on a tie.
    ValidationEvent best = seen.get(1).scores().iou() > seen.get(0).scores().iou() ? seen.get(1) : seen.get(0);
    assertEquals(best.step() + 1, result.best().checkpoint().step());
    assertEquals(best.scores().iou(), result.best().score());
    assertTrue(java.nio.file.Files.isDirectory(dir.resolve("best/checkpoints/best-00000000" + (best.step() + 1))));
  }

  @Test
  void augmentedSparseVolumesTrainAFewSteps() {
    AugmentationSpec augmentation = AugmentationSpec.builder().elastic(e -> e.sigma(2)).flip(f -> { })
        .rotation(r -> r.maxDegrees(20)).build();
    TrainingResult result = Training.of(recipe(3, augmentation))
        .data(TrainingData.volumes(List.of(ellipsoids(3, true)), List.of(ellipsoids(4, true))))
        .threads(1)
        .run(dir.resolve("sparse"));
    assertEquals(3, result.steps());
    assertTrue(Double.isFinite(result.lastLoss()));
  }

  @Test
  void voxelsThatAreNotAnnotatedAddNothingToTheLoss() {
    Recipe recipe = recipe(1, AugmentationSpec.none());
    VolumeSample sample = VolumeDataset.sample(recipe, ellipsoids(5, true));
    // Planes 0, 2, 3, 5, 6 are not annotated: weight 0 there, and the annotated planes keep weights.
    int plane = SIZE.y() * SIZE.x();
    for (int i = 0; i < sample.weights().length; i++) {
      boolean annotated = (i / plane) % 3 == 1;
      assertEquals(annotated, sample.weights()[i] > 0, "voxel " + i);
    }
    Size3 input = TrainingGraph.trainingBlock(recipe);
    Size3 output = NET.volumeGeometry().outputSize(input);
    assertEquals(new Size3(20, 20, 20), input);
    assertEquals(new Size3(4, 4, 4), output);
    Batch batch = new org.unet4j.recipes.data.VolumeTiles(List.of(sample),
        org.unet4j.augment.VolumeAugmenter.of(AugmentationSpec.none()), input, output, 1, 3).batch(0);
    int[] flipped = batch.labels().clone();
    long zeroWeight = 0;
    for (int i = 0; i < flipped.length; i++) {
      if (batch.weights()[i] == 0) {
        flipped[i] = 1 - flipped[i];
        zeroWeight++;
      }
    }
    assertTrue(zeroWeight > 0 && zeroWeight < flipped.length, zeroWeight + " of " + flipped.length);
    Batch changed = new Batch(1, batch.tile(), 1, batch.output(), batch.images(), flipped, batch.weights(),
        batch.tileDepth(), batch.outputDepth());
    try (TrainingGraph graph = TrainingGraph.build(recipe)) {
      graph.session().initialize();
      float loss = graph.evaluate(batch);
      assertTrue(loss > 0);
      assertEquals(loss, graph.evaluate(changed), 1e-6f);
    }
  }

  @Test
  void imagesAndUserAugmentationsAreRefusedForA3dNet() {
    Recipe recipe = recipe(1, AugmentationSpec.none());
    DataException images = assertThrows(DataException.class, () -> Training.of(recipe)
        .data(TrainingData.of(List.of(LabelledImage.of(2, 2, new float[4], new int[4])))).run(dir.resolve("a")));
    assertEquals("tiny-3d: a 3D net (model.dimensions 3) trains on volumes, and this training data gives 2D images;"
        + " give volumes (TrainingData.volumes) or the recipe's data spec", images.getMessage());
    ModelMismatchException augmentation = assertThrows(ModelMismatchException.class, () -> Training.of(recipe)
        .augmentation((tile, random) -> { }).data(TrainingData.volumes(List.of(ellipsoids(1, false))))
        .run(dir.resolve("b")));
    assertTrue(augmentation.getMessage().contains("an Augmentation changes 2D image tiles"),
        augmentation.getMessage());
  }
}
