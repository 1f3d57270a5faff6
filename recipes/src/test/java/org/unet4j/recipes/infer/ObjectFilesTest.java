package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.ImageJRoisTest;
import org.unet4j.recipes.data.StripTiffWriter;
import org.unet4j.recipes.data.TiffVariant;
import org.unet4j.recipes.model.ModelSource;

/**
 * Fiji-ready outputs of a predicted file: calibrated TIFFs, a ROI set whose polygons cover the
 * labelled objects and a measurement table, the same in memory and streamed.
 */
class ObjectFilesTest {
  private static final Recipe DEPTH2 = TinyModels.recipe("depth2", UNet.builder().depth(2).baseFilters(4).build(), 60);
  private static final Calibration MICRONS = new Calibration(0.5, 0.5, 3, "micron");

  @TempDir static Path runs;
  @TempDir Path dir;

  @BeforeAll
  static void makeRun() {
    TinyModels.untrainedRun(DEPTH2, runs.resolve("depth2"));
  }

  /** A calibrated input of {@code pages} blob pages. */
  private Path input(String name, int pages) {
    Path file = dir.resolve(name);
    try (StripTiffWriter writer = StripTiffWriter.create(file, MICRONS, TiffVariant.CLASSIC)) {
      for (int page = 0; page < pages; page++) {
        Image blobs = TinyModels.blobs(64, 50, page + 1);
        writer.beginPage(64, 50, blobs.type());
        writer.writeRows(blobs.pixels(), 0, 50);
        writer.endPage();
      }
      writer.commit();
    }
    return file;
  }

  /** Thresholds at the 60th percentile of the untrained net's output: many objects. */
  private static InferenceSpec spec(Path image) {
    float[] foreground;
    try (Predictor p = Predictor.open(runs.resolve("depth2"))) {
      foreground = p.predict(ImageIo.read(image)).foreground();
    }
    Arrays.sort(foreground);
    float threshold = foreground[foreground.length * 6 / 10];
    return new InferenceSpec(60, 4, TestTimeAugmentation.NONE, threshold, 3, true, InstanceMethod.COMPONENTS,
        threshold);
  }

  private PredictedImage predict(Path image, InferenceSpec spec, StreamingPolicy policy, String out) {
    try (Predictor p = Predictor.open(ModelSource.of(runs.resolve("depth2")), spec, policy)) {
      return p.predictFile(image, "cells", dir.resolve(out), EnumSet.allOf(ObjectOutput.class),
          task -> TileProgress.NONE);
    }
  }

  /** Pixels per label of a label page, labels 1..n. */
  private static List<Long> areas(Image labels) {
    int[] ids = labels.channelAsInts(0);
    long[] counts = new long[Arrays.stream(ids).max().orElse(0) + 1];
    for (int id : ids) {
      counts[id]++;
    }
    List<Long> areas = new ArrayList<>();
    for (int label = 1; label < counts.length; label++) {
      areas.add(counts[label]);
    }
    return areas;
  }

  @Test
  void aCalibratedStackGetsCalibratedTiffsRoisAndATable() throws IOException {
    Path stack = input("stack.tif", 2);
    PredictedImage done = predict(stack, spec(stack), StreamingPolicy.DEFAULT, "out");
    PredictionFiles files = done.files();
    assertEquals(MICRONS, Calibration.read(files.probabilities()));
    assertEquals(MICRONS, Calibration.read(files.labels()));
    List<Image> labels = ImageIo.readPages(files.labels());
    Map<String, ImageJRoisTest.Decoded> rois = ImageJRoisTest.decode(files.rois());
    assertEquals(done.objects(), rois.size());
    List<String> table = Files.readAllLines(files.objects());
    assertTrue(table.get(0).startsWith("page,label,area[px],area[micron^2],centroidX[micron]"), table.get(0));
    assertEquals(done.objects() + 1, table.size());
    for (int page = 1; page <= 2; page++) {
      int p = page;
      // ROIs are in label order per page; their filled areas are the labels' pixel counts.
      List<Long> expected = areas(labels.get(page - 1));
      assertTrue(expected.size() > 3, "objects on page " + page + ": " + expected.size());
      assertEquals(expected, rois.values().stream().filter(r -> r.position() == p)
          .map(r -> (long) r.area()).toList());
      assertEquals(expected, table.stream().skip(1).map(line -> line.split(","))
          .filter(cells -> cells[0].equals(Integer.toString(p))).map(cells -> Long.parseLong(cells[2])).toList());
      // area[micron^2] = pixels x 0.25; z = (page - 1) x 3.
      for (String line : table.subList(1, table.size())) {
        String[] cells = line.split(",");
        assertEquals(Long.parseLong(cells[2]) * 0.25, Double.parseDouble(cells[3]), 1e-9);
        assertEquals((Integer.parseInt(cells[0]) - 1) * 3.0, Double.parseDouble(cells[6]), 1e-9);
      }
    }
  }

  @Test
  void aPageInMemoryAndStreamedGiveTheSameRoisAndTable() throws IOException {
    Path image = input("one.tif", 1);
    InferenceSpec spec = spec(image);
    PredictedImage whole = predict(image, spec, new StreamingPolicy(Long.MAX_VALUE, 0), "whole");
    PredictedImage streamed = predict(image, spec, StreamingPolicy.always(7), "bands");
    assertArrayEquals(Files.readAllBytes(whole.files().objects()), Files.readAllBytes(streamed.files().objects()));
    assertEquals(ImageJRoisTest.decode(whole.files().rois()).keySet(),
        ImageJRoisTest.decode(streamed.files().rois()).keySet());
    // One page: no spacing written, so the depth reads back as 1.
    assertEquals(new Calibration(0.5, 0.5, 1, "micron"), Calibration.read(whole.files().labels()));
    // One page: no page prefix, no position.
    assertTrue(ImageJRoisTest.decode(whole.files().rois()).values().stream().allMatch(r -> r.position() == 0));
  }

  /** A membrane map (ISBI's background probability) measures the objects' own probability, as a cell map does. */
  @Test
  void theTableMeasuresTheObjectsProbabilityWhicheverClassTheMapHolds() throws IOException {
    Path image = input("one.tif", 1);
    InferenceSpec spec = spec(image);
    PredictedImage cells = predict(image, spec, StreamingPolicy.DEFAULT, "cells");
    PredictedImage membranes = predict(image, spec.toBuilder().probabilityOf(ProbabilityOf.BACKGROUND).build(),
        StreamingPolicy.DEFAULT, "membranes");
    float[] p = ImageIo.read(cells.files().probabilities()).pixels();
    float[] q = ImageIo.read(membranes.files().probabilities()).pixels();
    assertEquals(1 - p[0], q[0], 1e-6);
    List<String> a = Files.readAllLines(cells.files().objects());
    List<String> b = Files.readAllLines(membranes.files().objects());
    assertEquals(a.size(), b.size());
    assertTrue(a.size() > 3, "objects: " + (a.size() - 1));
    for (int row = 0; row < a.size(); row++) {
      // Every column is equal but the mean probability, which is 1 - (1 - p) in float: equal to 1e-6.
      String[] x = a.get(row).split(",");
      String[] y = b.get(row).split(",");
      int last = x.length - 1;
      assertEquals(String.join(",", List.of(x).subList(0, last)), String.join(",", List.of(y).subList(0, last)));
      if (row > 0) {
        assertEquals(Double.parseDouble(x[last]), Double.parseDouble(y[last]), 1e-6, a.get(row));
      }
    }
  }
}
