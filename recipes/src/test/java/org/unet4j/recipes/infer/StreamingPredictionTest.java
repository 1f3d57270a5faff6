package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unet4j.recipes.infer.TinyModels.maxDiff;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.eval.FileEvaluation;
import org.unet4j.recipes.eval.Scores;
import org.unet4j.recipes.model.ModelSource;

/**
 * A file predicted by bands (forced on a small image with short bands) gives the files the
 * whole-image path gives.
 */
class StreamingPredictionTest {
  /** Depth 2 from 4 filters at tile 60: step 20, so a 300x200 image is 15 x 10 tiles. */
  private static final Recipe DEPTH2 = TinyModels.recipe("depth2", UNet.builder().depth(2).baseFilters(4).build(), 60);
  private static final StreamingPolicy IN_MEMORY = new StreamingPolicy(Long.MAX_VALUE, 0);

  @TempDir static Path runs;
  @TempDir Path dir;

  @BeforeAll
  static void makeRun() {
    TinyModels.untrainedRun(DEPTH2, runs.resolve("depth2"));
  }

  /**
   * Settings whose thresholds lie at the 60th and 80th percentile of the untrained net's
   * foreground probability on {@code image}: many objects, holes and cores to split.
   */
  private static InferenceSpec spec(Path image, TestTimeAugmentation tta, InstanceMethod instances) {
    float[] foreground;
    try (Predictor p = Predictor.open(runs.resolve("depth2"))) {
      foreground = p.predict(ImageIo.read(image)).foreground();
    }
    java.util.Arrays.sort(foreground);
    return new InferenceSpec(60, 4, tta, foreground[foreground.length * 6 / 10], 3, true, instances,
        foreground[foreground.length * 8 / 10]);
  }

  private PredictedImage predict(Path image, InferenceSpec spec, StreamingPolicy policy, String out) {
    try (Predictor p = Predictor.open(ModelSource.of(runs.resolve("depth2")), spec, policy)) {
      return p.predictFile(image, "image", dir.resolve(out), task -> TileProgress.NONE);
    }
  }

  private static int[] pixels(Path png) throws IOException {
    BufferedImage picture = ImageIO.read(png.toFile());
    return picture.getRGB(0, 0, picture.getWidth(), picture.getHeight(), null, 0, picture.getWidth());
  }

  private static void assertSameOutputs(PredictedImage whole, PredictedImage streamed) throws IOException {
    assertEquals(ImageIo.readPages(whole.files().probabilities()),
        ImageIo.readPages(streamed.files().probabilities()), "probabilities");
    assertEquals(ImageIo.readPages(whole.files().labels()), ImageIo.readPages(streamed.files().labels()), "labels");
    for (int page = 0; page < whole.files().overlays().size(); page++) {
      assertArrayEquals(pixels(whole.files().overlays().get(page)), pixels(streamed.files().overlays().get(page)),
          "overlay " + page);
    }
    assertEquals(whole.objects(), streamed.objects());
    assertEquals(whole.foregroundFraction(), streamed.foregroundFraction());
    assertEquals(whole.tiles(), streamed.tiles());
    assertEquals(whole.files().overlays().stream().map(Path::getFileName).toList(),
        streamed.files().overlays().stream().map(Path::getFileName).toList());
  }

  /**
   * 300x200 in bands of 20 rows (one strip of tiles) and of 7 (rows left over for the next band)
   * with components, and in bands of 7 with the watershed: the same probabilities, labels and overlay, bit for
   * bit, and no temporary file left.
   */
  @Test
  void bandsGiveTheWholeImageFiles() throws IOException {
    Path image = dir.resolve("image.tif");
    ImageIo.writeTiff(image, TinyModels.blobs(300, 200, 3));
    InferenceSpec components = spec(image, TestTimeAugmentation.NONE, InstanceMethod.COMPONENTS);
    for (InstanceMethod method : InstanceMethod.values()) {
      InferenceSpec spec = new InferenceSpec(60, 4, TestTimeAugmentation.NONE, components.threshold(), 3, true, method,
          components.seedThreshold());
      PredictedImage whole = predict(image, spec, IN_MEMORY, "whole-" + method);
      assertTrue(whole.objects() > 10, "objects: " + whole.objects());
      for (int band : method == InstanceMethod.COMPONENTS ? new int[] {20, 7} : new int[] {7}) {
        PredictedImage streamed = predict(image, spec, StreamingPolicy.always(band), "bands-" + band + "-" + method);
        assertSameOutputs(whole, streamed);
        try (Stream<Path> files = Files.list(streamed.files().labels().getParent())) {
          assertEquals(List.of("image_labels.tif", "image_overlay.png", "image_prob.tif"),
              files.map(f -> f.getFileName().toString()).sorted().toList());
        }
      }
    }
  }

  /**
   * A background map (ISBI 2012's membrane probability) holds one minus the foreground map, whole
   * or by bands; the labels and overlays are the foreground map's, and evaluating the background map
   * as such gives the foreground map's scores.
   */
  @Test
  void aBackgroundMapIsOneMinusTheForegroundOneAndScoresTheSame() throws IOException {
    Path image = dir.resolve("image.tif");
    ImageIo.writeTiff(image, TinyModels.blobs(90, 70, 5));
    InferenceSpec foreground = spec(image, TestTimeAugmentation.NONE, InstanceMethod.COMPONENTS);
    InferenceSpec background = foreground.toBuilder().probabilityOf(ProbabilityOf.BACKGROUND).build();
    PredictedImage cells = predict(image, foreground, IN_MEMORY, "foreground");
    float[] p = ImageIo.read(cells.files().probabilities()).channel(0);
    for (StreamingPolicy policy : List.of(IN_MEMORY, StreamingPolicy.always(7))) {
      PredictedImage membranes = predict(image, background, policy, "background-" + policy.minPixels());
      Image written = ImageIo.read(membranes.files().probabilities());
      assertEquals(PixelType.FLOAT32, written.type());
      float[] q = written.channel(0);
      for (int i = 0; i < p.length; i++) {
        assertEquals(1 - p[i], q[i], "pixel " + i);
      }
      assertEquals(ImageIo.readPages(cells.files().labels()), ImageIo.readPages(membranes.files().labels()));
      assertEquals(cells.objects(), membranes.objects());
    }
    Path truth = dir.resolve("truth.tif");
    ImageIo.writeTiff(truth, ImageIo.read(cells.files().labels()));
    Scores asCells = FileEvaluation.of(LabelFormat.INSTANCE).evaluate(truth, cells.files().probabilities())
        .summary().mean();
    Path membranes = dir.resolve("background-" + Long.MAX_VALUE).resolve("image_prob.tif");
    Scores read = FileEvaluation.of(LabelFormat.INSTANCE).probabilityOf(ProbabilityOf.BACKGROUND)
        .evaluate(truth, membranes).summary().mean();
    assertEquals(asCells.randError(), read.randError(), 1e-6);
    assertEquals(asCells.iou(), read.iou(), 1e-6);
    Scores inverted = FileEvaluation.of(LabelFormat.INSTANCE).evaluate(truth, membranes).summary().mean();
    assertTrue(inverted.pixelError() > asCells.pixelError(), "a background map read as cells scores worse");
  }

  /**
   * With all 8 dihedral copies, whose grids start at the bottom or the right for the mirrored ones
   * (83 and 197 are not multiples of the step 20, so these grids are offset): probabilities within
   * float rounding of the whole-image ones (the copies' sums may be added in another order), and
   * labels exactly those of the streamed probabilities.
   */
  @Test
  void dihedralAugmentationStreamsToo() throws IOException {
    Path image = dir.resolve("odd.tif");
    ImageIo.writeTiff(image, TinyModels.blobs(83, 197, 4));
    InferenceSpec spec = spec(image, TestTimeAugmentation.DIHEDRAL, InstanceMethod.COMPONENTS);
    PredictedImage whole = predict(image, spec, IN_MEMORY, "whole");
    PredictedImage streamed = predict(image, spec, StreamingPolicy.always(30), "bands");
    Image expected = ImageIo.read(whole.files().probabilities());
    Image got = ImageIo.read(streamed.files().probabilities());
    assertTrue(maxDiff(expected.pixels(), got.pixels()) <= 1e-6, "max difference "
        + maxDiff(expected.pixels(), got.pixels()));
    assertArrayEquals(InstanceSegmentation.labels(got.pixels(), 83, 197, spec).toArray(),
        ImageIo.read(streamed.files().labels()).channelAsInts(0));
    assertEquals(whole.tiles(), streamed.tiles());
  }

  /** A stack is predicted page by page, each page as the whole-image path predicts it. */
  @Test
  void stacksStreamPageByPage() throws IOException {
    Path stack = dir.resolve("stack.tif");
    List<Image> pages = List.of(TinyModels.blobs(64, 50, 1), TinyModels.blobs(64, 50, 2));
    ImageIo.writeTiffPages(stack, pages);
    InferenceSpec spec = spec(stack, TestTimeAugmentation.NONE, InstanceMethod.COMPONENTS);
    PredictedImage streamed = predict(stack, spec, StreamingPolicy.DEFAULT, "stack");
    assertEquals(2, streamed.pages());
    List<Image> probabilities = ImageIo.readPages(streamed.files().probabilities());
    List<Image> labels = ImageIo.readPages(streamed.files().labels());
    try (Predictor p = Predictor.open(ModelSource.of(runs.resolve("depth2")), spec)) {
      for (int page = 0; page < 2; page++) {
        ProbabilityMap map = p.predict(pages.get(page));
        assertArrayEquals(map.foreground(), probabilities.get(page).pixels());
        assertArrayEquals(p.labels(map).toArray(), labels.get(page).channelAsInts(0));
        ImageIo.writePng(dir.resolve("expected.png"), Overlay.of(pages.get(page), p.labels(map)));
        assertArrayEquals(pixels(dir.resolve("expected.png")), pixels(streamed.files().overlays().get(page)));
      }
    }
  }

  /**
   * With thinned boundaries, a file predicted in memory, a page streamed (predicted whole, written as one band)
   * and each page of a stack give the same files; the map is the net's map thinned at the threshold, the
   * labels are its thinned regions, as many as the components of the net's map above the threshold, and no
   * pixel of the foreground falls.
   */
  @Test
  void thinnedBoundariesAreTheSameInMemoryStreamedAndInStacks() throws IOException {
    Path image = dir.resolve("thin.tif");
    Image blobs = TinyModels.blobs(90, 70, 6);
    ImageIo.writeTiff(image, blobs);
    InferenceSpec plain = spec(image, TestTimeAugmentation.NONE, InstanceMethod.COMPONENTS).toBuilder()
        .minObjectSize(0).fillHoles(false).build();
    InferenceSpec thin = plain.toBuilder().thinBoundaries(ThinningMethod.RIDGE).build();
    PredictedImage whole = predict(image, thin, IN_MEMORY, "thin-whole");
    assertSameOutputs(whole, predict(image, thin, StreamingPolicy.always(7), "thin-bands"));
    float[] net;
    try (Predictor p = Predictor.open(ModelSource.of(runs.resolve("depth2")), plain)) {
      net = p.predict(blobs).foreground();
      ProbabilityMap expected =
          BoundaryThinning.thin(p.predict(blobs), plain.threshold(), ThinningMethod.RIDGE, 0);
      assertArrayEquals(expected.foreground(), ImageIo.read(whole.files().probabilities()).pixels());
    }
    boolean[] above = new boolean[net.length];
    for (int i = 0; i < net.length; i++) {
      above[i] = net[i] > plain.threshold();
    }
    int components = ConnectedComponents.label(above, 90, 70, new int[net.length]);
    assertTrue(components > 5, "components: " + components);
    assertEquals(components, whole.objects());
    float[] written = ImageIo.read(whole.files().probabilities()).pixels();
    int[] labels = ImageIo.read(whole.files().labels()).channelAsInts(0);
    int raised = 0;
    for (int i = 0; i < net.length; i++) {
      assertTrue(written[i] >= net[i], "pixel " + i);
      assertEquals(written[i] > plain.threshold(), labels[i] != 0, "pixel " + i + " is labelled when above");
      raised += written[i] != net[i] ? 1 : 0;
    }
    assertTrue(raised > 100, "boundary pixels raised: " + raised);

    Path stack = dir.resolve("thin-stack.tif");
    ImageIo.writeTiffPages(stack, List.of(blobs, TinyModels.blobs(90, 70, 7)));
    PredictedImage pages = predict(stack, thin, StreamingPolicy.DEFAULT, "thin-stack");
    assertEquals(ImageIo.read(whole.files().probabilities()), ImageIo.readPages(pages.files().probabilities()).get(0));
    assertEquals(ImageIo.read(whole.files().labels()), ImageIo.readPages(pages.files().labels()).get(0));
  }
}
