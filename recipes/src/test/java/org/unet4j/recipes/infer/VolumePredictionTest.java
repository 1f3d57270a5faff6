package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.Volume;
import org.unet4j.recipes.data.VolumeSource;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;
import org.unet4j.recipes.model.RunDirectory;

/**
 * Overlap-tile prediction of volumes with a tiny 3D net of seeded random weights, against one pass
 * of the net (compiled for any size) over the whole volume mirror-extended by an independent
 * bounce, and test-time augmentation against the explicit average of flipped whole passes.
 */
class VolumePredictionTest {
  /** One 3x3x3 stage of 2 filters, pooled 2x2x2, and a bottleneck of 4: margin 6 along each axis. */
  private static final ModelSpec NET = UNet.builder().dimensions(3).contracting(c -> c.stage(2)).bottleneck(4)
      .build();
  private static final VoxelSpacing SPACING = new VoxelSpacing(2.5, 1, 1);
  private static final Size3 SIZE = new Size3(7, 13, 11);

  @TempDir static Path dir;
  private static Path run;
  private static Recipe recipe;
  private static Volume volume;
  private static int tile;
  private static int tileZ;
  private static CompiledModel reference;
  private static Session referenceSession;

  @BeforeAll
  static void untrainedRun() {
    // Tiles of 6x6 output voxels in the plane and 4 planes (step 4): the odd-sized volume needs
    // several of them along every axis.
    tile = 22;
    tileZ = 20;
    recipe = TinyModels.recipe("tiny-3d", NET, tile);
    recipe = recipe.toBuilder().inference(recipe.inference().toBuilder().tileZ(tileZ).build()).build();
    run = dir.resolve("run");
    RunDirectory directory = new RunDirectory(run);
    try {
      Files.createDirectories(run);
      Files.writeString(directory.recipe(), Recipes.toJson(recipe), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (CompiledModel model = ModelCompiler.compile(NET, new Size3(tileZ, tile, tile), 11);
        Session session = new Session(model.graph())) {
      session.initialize();
      directory.checkpoints().save(session, Checkpoints.shapes(model), 0, 0.0);
    }
    volume = random(SIZE, 5);
    reference = ModelCompiler.compileForAnySize(NET, 3);
    referenceSession = new Session(reference.graph());
    Checkpoints.restore(referenceSession, reference,
        directory.checkpoints().latest(new ArrayList<>()).orElseThrow());
  }

  @AfterAll
  static void closeReference() {
    referenceSession.close();
    reference.close();
  }

  private static Volume random(Size3 size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] voxels = new float[(int) size.voxels()];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = (float) random.nextDouble(0, 255);
    }
    return Volume.gray(size, voxels, SPACING);
  }

  private static VolumePredictor open(InferenceSpec inference) {
    return VolumePredictor.open(ModelSource.of(run), inference);
  }

  @Test
  void tiledPredictionEqualsOneWholeVolumePass() {
    try (VolumePredictor predictor = open(recipe.inference())) {
      assertTrue(predictor.tiling().tileCount(SIZE) >= 8, "several tiles along every axis");
      VolumeProbabilities tiled = predictor.predict(volume);
      assertArrayEquals(reference(volume), tiled.values(), 1e-5f);
    }
  }

  @Test
  void aVolumeThinnerThanTheContextIsMirroredAgainAndAgain() {
    Volume thin = random(new Size3(1, 5, 3), 9);
    try (VolumePredictor predictor = open(recipe.inference())) {
      assertArrayEquals(reference(thin), predictor.predict(thin).values(), 1e-5f);
    }
  }

  @Test
  void mirrorsAverageTheEightFlippedWholePasses() {
    Size3 small = new Size3(5, 9, 7);
    Volume stack = random(small, 7);
    try (VolumePredictor predictor = open(recipe.inference().toBuilder().tta(TestTimeAugmentation.MIRRORS)
        .batchSize(3).build())) {
      float[] average = new float[(int) small.voxels() * 2];
      for (int m = 0; m < 8; m++) {
        boolean fz = (m & 4) != 0;
        boolean fy = (m & 2) != 0;
        boolean fx = (m & 1) != 0;
        float[] flipped = reference(flip(stack, fz, fy, fx));
        float[] back = flip(Volume.gray(small, channel(flipped, 0), SPACING), fz, fy, fx).voxels();
        float[] back1 = flip(Volume.gray(small, channel(flipped, 1), SPACING), fz, fy, fx).voxels();
        for (int i = 0; i < back.length; i++) {
          average[2 * i] += back[i] / 8;
          average[2 * i + 1] += back1[i] / 8;
        }
      }
      assertArrayEquals(average, predictor.predict(stack).values(), 1e-5f);
    }
  }

  @Test
  void dihedralTurnsAboutZOnlyWhereYAndXSpacingsAreEqual() {
    assertEquals(8, VolumeTransform.of(TestTimeAugmentation.DIHEDRAL, new VoxelSpacing(3, 1, 1.5)).size());
    assertEquals(16, VolumeTransform.of(TestTimeAugmentation.DIHEDRAL, new VoxelSpacing(3, 1, 1)).size());
    assertEquals(8, VolumeTransform.of(TestTimeAugmentation.MIRRORS, new VoxelSpacing(1, 1, 1)).size());
    assertEquals(1, VolumeTransform.of(TestTimeAugmentation.NONE, new VoxelSpacing(1, 1, 1)).size());
  }

  @Test
  void dihedralIsEquivariantToAQuarterTurnAboutZ() {
    Volume cube = random(new Size3(3, 6, 6), 3);
    Volume turned = transposed(cube);
    try (VolumePredictor predictor = open(recipe.inference().toBuilder().tta(TestTimeAugmentation.DIHEDRAL)
        .batchSize(8).build())) {
      float[] a = predictor.predict(cube).foreground();
      float[] b = predictor.predict(turned).foreground();
      assertArrayEquals(a, transposed(Volume.gray(cube.size(), b, SPACING)).voxels(), 1e-5f);
    }
  }

  @Test
  void planesPredictedApartAreBitIdenticalToTheWholeVolume() {
    try (VolumePredictor predictor = open(recipe.inference().toBuilder().tta(TestTimeAugmentation.MIRRORS).build())) {
      VolumeProbabilities whole = predictor.predict(volume);
      VolumeSource source = VolumeSource.of(volume);
      var stats = predictor.normalization(source);
      int plane = SIZE.y() * SIZE.x() * 2;
      int[] cuts = {0, 2, 3, 7};
      for (int c = 0; c + 1 < cuts.length; c++) {
        VolumeProbabilities part = predictor.predictPlanes(source, stats, cuts[c], cuts[c + 1], TileProgress.NONE);
        float[] expected = new float[(cuts[c + 1] - cuts[c]) * plane];
        System.arraycopy(whole.values(), cuts[c] * plane, expected, 0, expected.length);
        assertArrayEquals(expected, part.values(), "planes " + cuts[c] + ".." + cuts[c + 1]);
      }
    }
  }

  @Test
  void aStackFileStreamsToCalibratedStacksEqualToTheInMemoryPrediction() throws IOException {
    Path in = dir.resolve("stack.tif");
    new Volume(SIZE, 1, volume.voxels(), new Calibration(0.5, 0.5, 1.25, "micron")).write(in);
    Path out = dir.resolve("out");
    try (Model model = Model.load(run)) {
      VolumeSegmentation memory = model.predict(volume);
      PredictedImage done = model.predict(in, out);
      assertEquals(SIZE.z(), done.pages());
      assertEquals(memory.labels().cellCount(), done.objects());
      Volume probabilities = Volume.read(done.files().probabilities());
      assertArrayEquals(memory.probabilities().foreground(), probabilities.voxels());
      Calibration calibration = Calibration.read(done.files().probabilities());
      assertEquals(1.25, calibration.pixelDepth(), 1e-9);
      assertEquals(0.5, calibration.pixelWidth(), 1e-9);
      assertEquals("micron", calibration.unit());
      assertEquals(1.25, Calibration.read(done.files().labels()).pixelDepth(), 1e-9);
      Volume labels = Volume.read(done.files().labels());
      int[] expected = memory.labels().toArray();
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], (int) labels.voxels()[i], "voxel " + i);
      }
      assertEquals(SIZE.z(), done.files().overlays().size());
      for (Path overlay : done.files().overlays()) {
        assertTrue(Files.isRegularFile(overlay), overlay.toString());
      }
    }
  }

  /**
   * A recipe that thins its boundaries thins the whole volume in 3D, at a threshold that leaves regions and
   * boundary (the net's median): Model.predict gives BoundaryThinning's volume, which differs from the net's, and
   * its labels; the stack file streams the same probabilities and labels.
   */
  @Test
  void thinnedBoundariesThinTheWholeVolumeInMemoryAndInFiles() throws IOException {
    float[] net;
    VolumeProbabilities netProbabilities;
    try (VolumePredictor plain = open(recipe.inference())) {
      netProbabilities = plain.predict(volume);
      net = netProbabilities.foreground();
    }
    float[] sorted = net.clone();
    Arrays.sort(sorted);
    double threshold = sorted[sorted.length / 2];
    InferenceSpec ridge = recipe.inference().toBuilder().threshold(threshold).thinBoundaries(ThinningMethod.RIDGE)
        .build();
    Path in = dir.resolve("thin.tif");
    new Volume(SIZE, 1, volume.voxels(), Calibration.NONE).write(in);
    try (Model model = Model.load(ModelSource.of(run), ridge)) {
      VolumeSegmentation memory = model.predict(volume);
      VolumeProbabilities expected = BoundaryThinning.thin(netProbabilities, threshold, ThinningMethod.RIDGE, 0);
      assertArrayEquals(expected.values(), memory.probabilities().values());
      assertFalse(Arrays.equals(net, memory.probabilities().foreground()), "the thinning changes the map");
      try (VolumePredictor thinning = open(ridge)) {
        assertArrayEquals(thinning.labels(expected).toArray(), memory.labels().toArray());
      }
      PredictedImage done = model.predict(in, dir.resolve("thin-out"));
      assertArrayEquals(memory.probabilities().foreground(), Volume.read(done.files().probabilities()).voxels());
      int[] labels = memory.labels().toArray();
      float[] written = Volume.read(done.files().labels()).voxels();
      for (int i = 0; i < labels.length; i++) {
        assertEquals(labels[i], (int) written[i], "voxel " + i);
      }
      assertEquals(memory.labels().cellCount(), done.objects());
    }
  }

  @Test
  void holesAreFilledAndTheObjectsTableIsWrittenAsTheLabelsStream() throws IOException {
    Path in = dir.resolve("holes.tif");
    Calibration calibration = new Calibration(0.5, 0.5, 1.25, "micron");
    new Volume(SIZE, 1, volume.voxels(), calibration).write(in);
    float[] foreground;
    try (VolumePredictor predictor = open(recipe.inference())) {
      foreground = predictor.predict(volume).foreground();
    }
    // The median foreground probability as the threshold: about half the voxels are foreground,
    // which leaves objects and holes in the random volume.
    float[] sorted = foreground.clone();
    Arrays.sort(sorted);
    double threshold = sorted[sorted.length / 2];
    boolean[] mask = new boolean[foreground.length];
    for (int i = 0; i < mask.length; i++) {
      mask[i] = foreground[i] > threshold;
    }
    int[] expected = VolumeLabellingTest.reference(mask, SIZE, true, 2);
    InferenceSpec inference = recipe.inference().toBuilder().threshold(threshold).fillHoles(true).minObjectSize(2)
        .build();
    try (VolumePredictor predictor = open(inference)) {
      Path out = dir.resolve("holes-out");
      PredictedImage done = predictor.predictFile(in, "holes", out, Set.of(ObjectOutput.MEASUREMENTS),
          task -> TileProgress.NONE);
      float[] written = Volume.read(done.files().labels()).voxels();
      int objects = 0;
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], (int) written[i], "voxel " + i);
        objects = Math.max(objects, expected[i]);
      }
      assertTrue(objects >= 2, "the threshold leaves several objects, got " + objects);
      assertEquals(objects, done.objects());
      assertArrayEquals(expected, predictor.labels(predictor.predict(volume)).toArray(), "in memory");
      List<String> rows = Files.readAllLines(done.files().objects());
      assertEquals("label,voxels,volume[micron^3],centroidZ[voxels],centroidY[voxels],centroidX[voxels],"
          + "centroidZ[micron],centroidY[micron],centroidX[micron],boundsZ,boundsY,boundsX,boundsDepth,boundsHeight,"
          + "boundsWidth", rows.get(0));
      assertEquals(objects + 1, rows.size());
      for (int label = 1; label <= objects; label++) {
        checkRow(rows.get(label).split(","), label, expected);
      }
      ModelMismatchException rois = assertThrows(ModelMismatchException.class, () -> predictor.predictFile(in,
          "holes", out, Set.of(ObjectOutput.ROIS), task -> TileProgress.NONE));
      assertTrue(rois.getMessage().contains("NAME_rois.zip") && rois.getMessage().contains("NAME_objects.csv"),
          rois.getMessage());
    }
  }

  /** One row of the objects' table against sums over the label's voxels. */
  private static void checkRow(String[] row, int label, int[] labels) {
    long n = 0;
    double sz = 0;
    double sy = 0;
    double sx = 0;
    int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
    int[] hi = {-1, -1, -1};
    for (int z = 0, i = 0; z < SIZE.z(); z++) {
      for (int y = 0; y < SIZE.y(); y++) {
        for (int x = 0; x < SIZE.x(); x++, i++) {
          if (labels[i] == label) {
            n++;
            sz += z;
            sy += y;
            sx += x;
            int[] at = {z, y, x};
            for (int a = 0; a < 3; a++) {
              lo[a] = Math.min(lo[a], at[a]);
              hi[a] = Math.max(hi[a], at[a]);
            }
          }
        }
      }
    }
    assertEquals(label, Integer.parseInt(row[0]));
    assertEquals(n, Long.parseLong(row[1]));
    assertEquals(n * 1.25 * 0.5 * 0.5, Double.parseDouble(row[2]), 1e-6);
    assertEquals(sz / n + 0.5, Double.parseDouble(row[3]), 1e-6);
    assertEquals(sy / n + 0.5, Double.parseDouble(row[4]), 1e-6);
    assertEquals(sx / n + 0.5, Double.parseDouble(row[5]), 1e-6);
    assertEquals((sz / n + 0.5) * 1.25, Double.parseDouble(row[6]), 1e-6);
    assertEquals((sy / n + 0.5) * 0.5, Double.parseDouble(row[7]), 1e-6);
    assertEquals((sx / n + 0.5) * 0.5, Double.parseDouble(row[8]), 1e-6);
    for (int a = 0; a < 3; a++) {
      assertEquals(lo[a], Integer.parseInt(row[9 + a]), "bounds start " + a);
      assertEquals(hi[a] - lo[a] + 1, Integer.parseInt(row[12 + a]), "bounds extent " + a);
    }
  }

  @Test
  void labelsAreSixConnectedComponentsAboveTheThresholdWithSmallOnesDropped() {
    // Two voxels touching by an edge only are two objects; a lone voxel is dropped at size 2.
    Size3 size = new Size3(2, 2, 3);
    boolean[] mask = {
        true, false, false,
        false, false, true,
        true, false, false,
        false, false, false};
    InstanceVolume all = labels(mask, size, 0);
    assertEquals(2, all.cellCount());
    assertEquals(1, all.label(0, 0, 0));
    assertEquals(1, all.label(1, 0, 0));
    assertEquals(2, all.label(0, 1, 2));
    InstanceVolume kept = labels(mask, size, 2);
    assertEquals(1, kept.cellCount());
    assertEquals(0, kept.label(0, 1, 2));
  }

  /**
   * An export of the run (its graph fixed to the recipe's block, 20x22x22) predicts the volume as
   * the run does, through the same tiles; another block is refused, naming the compiled one.
   */
  @Test
  void anExportPredictsAsItsRun() {
    Path export = dir.resolve("export");
    ModelExport.Exported exported = ModelExport.export(run, export, OptionalInt.empty());
    assertEquals(List.of(-1L, (long) tileZ, (long) tile, (long) tile, 1L), exported.input());
    // Per axis: n - 4 (two convolutions), halved, - 4, doubled, - 4: 20 -> 4 and 22 -> 6; 2 classes.
    assertEquals(List.of(-1L, 4L, 6L, 6L, 2L), exported.output());
    ModelSource source = ModelSource.of(export);
    assertEquals(ModelSource.Kind.EXPORT, source.kind());
    assertEquals(tileZ, source.recipe().inference().tileZ());
    try (VolumePredictor fromRun = open(recipe.inference());
        VolumePredictor fromExport = VolumePredictor.open(source, source.recipe().inference())) {
      assertArrayEquals(fromRun.predict(volume).values(), fromExport.predict(volume).values(), 1e-6f);
    }
    ModelMismatchException other = assertThrows(ModelMismatchException.class,
        () -> VolumePredictor.open(source, recipe.inference().toBuilder().tileZ(tileZ + 2).build()));
    assertTrue(other.getMessage().contains("is compiled for the block " + new Size3(tileZ, tile, tile) + " (tile "
        + tile + ", tileZ " + tileZ + "); predict with that tile"), other.getMessage());
  }

  /** The labels {@link VolumePredictor#labels} gives a one-class map of {@code mask} at minimum size {@code minSize}. */
  private static InstanceVolume labels(boolean[] mask, Size3 size, int minSize) {
    float[] values = new float[mask.length];
    for (int i = 0; i < mask.length; i++) {
      values[i] = mask[i] ? 1 : 0;
    }
    try (VolumePredictor predictor = open(recipe.inference().toBuilder().minObjectSize(minSize).build())) {
      return predictor.labels(new VolumeProbabilities(size, 1, values));
    }
  }

  @Test
  void imagesAndUnsupportedSettingsAreRefusedClearly() {
    try (Model model = Model.load(run)) {
      ModelMismatchException e = assertThrows(ModelMismatchException.class,
          () -> model.predict(Image.gray(8, 8, PixelType.UINT8, new float[64])));
      assertTrue(e.getMessage().contains("a 3D net (model.dimensions 3) predicts volumes"), e.getMessage());
    }
    ModelMismatchException z = assertThrows(ModelMismatchException.class,
        () -> open(recipe.inference().toBuilder().tileZ(tileZ + 1).build()));
    assertTrue(z.getMessage().contains("along z") && z.getMessage().contains("valid near it"), z.getMessage());
    ModelMismatchException watershed = assertThrows(ModelMismatchException.class,
        () -> open(recipe.inference().toBuilder().instances(InstanceMethod.WATERSHED).build()));
    assertTrue(watershed.getMessage().contains("inference.instances watershed")
        && watershed.getMessage().contains("set it to components"), watershed.getMessage());
    ModelMismatchException seeds = assertThrows(ModelMismatchException.class,
        () -> open(recipe.inference().toBuilder().instanceClass(2).build()));
    assertTrue(seeds.getMessage().contains("inference.instanceClass 2") && seeds.getMessage().contains("has 2 classes"),
        seeds.getMessage());
    Volume twoChannels = new Volume(new Size3(1, 2, 2), 2, new float[8], Calibration.NONE);
    try (VolumePredictor predictor = open(recipe.inference())) {
      ModelMismatchException channels = assertThrows(ModelMismatchException.class,
          () -> predictor.predict(twoChannels));
      assertTrue(channels.getMessage().contains("2 channel(s) but the model reads 1"), channels.getMessage());
    }
  }

  // ------------------------------------------------------------------ the independent reference

  /**
   * One pass of the net over {@code v} normalised (as training does: the whole volume), mirrored
   * by bouncing off the faces by the margin before and at least as much after to a valid size.
   */
  private static float[] reference(Volume v) {
    Size3 size = v.size();
    float[] normalised = Normalizer.apply(new Image(size.x(), size.y() * size.z(), 1, PixelType.FLOAT32, v.voxels()),
        recipe.data().normalization());
    Size3 margin = NET.volumeGeometry().margin();
    int ez = NET.geometry(Axis.Z).validInputAbove(size.z() + 2 * margin.z() - 1).orElseThrow();
    int ey = NET.geometry(Axis.Y).validInputAbove(size.y() + 2 * margin.y() - 1).orElseThrow();
    int ex = NET.geometry(Axis.X).validInputAbove(size.x() + 2 * margin.x() - 1).orElseThrow();
    float[] extended = new float[ez * ey * ex];
    for (int z = 0; z < ez; z++) {
      for (int y = 0; y < ey; y++) {
        for (int x = 0; x < ex; x++) {
          int sz = TinyModels.bounce(z - margin.z(), size.z());
          int sy = TinyModels.bounce(y - margin.y(), size.y());
          int sx = TinyModels.bounce(x - margin.x(), size.x());
          extended[(z * ey + y) * ex + x] = normalised[(sz * size.y() + sy) * size.x() + sx];
        }
      }
    }
    Size3 out = NET.volumeGeometry().outputSize(new Size3(ez, ey, ex));
    float[] whole;
    try (TFloat32 input = TFloat32.tensorOf(Shape.of(1, ez, ey, ex, 1), DataBuffers.of(extended, true, false));
        Result result = referenceSession.runner().feed(reference.input(), input).fetch(reference.probabilities())
            .run()) {
      TFloat32 p = (TFloat32) result.get(0);
      whole = new float[Math.toIntExact(p.size())];
      p.asRawTensor().data().asFloats().read(whole);
    }
    float[] cropped = new float[(int) size.voxels() * 2];
    for (int z = 0; z < size.z(); z++) {
      for (int y = 0; y < size.y(); y++) {
        for (int x = 0; x < size.x(); x++) {
          for (int k = 0; k < 2; k++) {
            cropped[((z * size.y() + y) * size.x() + x) * 2 + k] = whole[((z * out.y() + y) * out.x() + x) * 2 + k];
          }
        }
      }
    }
    return cropped;
  }

  private static float[] channel(float[] values, int k) {
    float[] out = new float[values.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[2 * i + k];
    }
    return out;
  }

  private static Volume flip(Volume v, boolean fz, boolean fy, boolean fx) {
    Size3 s = v.size();
    float[] out = new float[v.voxels().length];
    for (int z = 0; z < s.z(); z++) {
      for (int y = 0; y < s.y(); y++) {
        for (int x = 0; x < s.x(); x++) {
          int sz = fz ? s.z() - 1 - z : z;
          int sy = fy ? s.y() - 1 - y : y;
          int sx = fx ? s.x() - 1 - x : x;
          out[(z * s.y() + y) * s.x() + x] = v.voxels()[(sz * s.y() + sy) * s.x() + sx];
        }
      }
    }
    return Volume.gray(s, out, SPACING);
  }

  /** Rows and columns swapped in every plane (a square plane). */
  private static Volume transposed(Volume v) {
    Size3 s = v.size();
    float[] out = new float[v.voxels().length];
    for (int z = 0; z < s.z(); z++) {
      for (int y = 0; y < s.y(); y++) {
        for (int x = 0; x < s.x(); x++) {
          out[(z * s.y() + y) * s.x() + x] = v.voxels()[(z * s.y() + x) * s.x() + y];
        }
      }
    }
    return Volume.gray(s, out, new VoxelSpacing(2.5, 1, 1));
  }
}
