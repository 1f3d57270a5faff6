package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PageSource;

/**
 * The whole page, a band and a stream of bands feed the net the same batches: the same tiles in
 * the same order, in tensors of the same shape. Bit-identical outputs on CPUs whose kernels sum in
 * an order that depends on the batch's shape (AVX2 without oneDNN) rest on this, so it is checked
 * on the batches themselves, whatever CPU runs the test.
 */
class OverlapTilesBatchTest {
  /** Depth 2 at tile 60: output 20, step 20, context 20, period 4. */
  private static final Tiling TILING = new Tiling(60, 20, 20, 20, 0, 4, 1);

  /** A fake net that records every batch it is given and answers each tile's centre value. */
  private static final class RecordingModel implements TileModel {
    final List<float[]> batches = new ArrayList<>();

    @Override
    public void predict(float[] tiles, int batch, float[] probabilities) {
      int tileSamples = TILING.tile() * TILING.tile();
      batches.add(Arrays.copyOf(tiles, batch * tileSamples));
      int out = TILING.outputSize();
      for (int b = 0; b < batch; b++) {
        float centre = tiles[b * tileSamples + tileSamples / 2];
        for (int i = 0; i < out * out; i++) {
          probabilities[(b * out * out + i) * 2] = centre;
          probabilities[(b * out * out + i) * 2 + 1] = 1 - centre;
        }
      }
    }

    @Override
    public void close() { }
  }

  private static List<float[]> whole(Image image, NormalizationStats stats, int batchSize,
      TestTimeAugmentation tta) {
    RecordingModel model = new RecordingModel();
    new OverlapTiles(TILING, model, 1, 2, batchSize, DihedralTransform.of(tta)).whole(image, stats,
        TileProgress.NONE);
    return model.batches;
  }

  private static List<float[]> streamed(Image image, NormalizationStats stats, int batchSize,
      TestTimeAugmentation tta, int bandRows) {
    RecordingModel model = new RecordingModel();
    new OverlapTiles(TILING, model, 1, 2, batchSize, DihedralTransform.of(tta)).stream(PageSource.of(image), stats,
        bandRows, (first, band) -> { }, TileProgress.NONE);
    return model.batches;
  }

  /** Batches as comparable text: their sizes and contents (bit for bit), in the order given. */
  private static List<String> describe(List<float[]> batches) {
    return batches.stream().map(b -> b.length / (TILING.tile() * TILING.tile()) + " tiles, hash "
        + Arrays.hashCode(b)).toList();
  }

  /**
   * 300x200 (15 x 10 tiles) and 83x197 (5 x 10, odd sizes) in bands of 7 and 20 rows, at batch
   * sizes that do (5) and do not (4, 7) divide the tiles of a strip: the same batches in the same
   * order, without test-time augmentation and with all 8 copies.
   */
  @ParameterizedTest
  @CsvSource({"300, 200, 4, 7", "300, 200, 4, 20", "300, 200, 5, 7", "300, 200, 7, 13", "83, 197, 4, 7",
      "83, 197, 1, 30"})
  void everyPathFeedsTheSameBatches(int width, int height, int batchSize, int bandRows) {
    Image image = TinyModels.blobs(width, height, 5);
    NormalizationStats stats = NormalizationStats.of(image, NormalizationSpec.percentile());
    List<String> whole = describe(whole(image, stats, batchSize, TestTimeAugmentation.NONE));
    assertEquals(whole, describe(streamed(image, stats, batchSize, TestTimeAugmentation.NONE, bandRows)));
    int tilesAlongWidth = (width + 19) / 20;
    int strips = (height + 19) / 20;
    int perStrip = (tilesAlongWidth + batchSize - 1) / batchSize;
    assertEquals(strips * perStrip, whole.size(), "batches: " + perStrip + " per strip of " + tilesAlongWidth);

    List<String> wholeDihedral = describe(whole(image, stats, batchSize, TestTimeAugmentation.DIHEDRAL));
    assertEquals(wholeDihedral, describe(streamed(image, stats, batchSize, TestTimeAugmentation.DIHEDRAL, bandRows)));
    int perRound = (8 * tilesAlongWidth + batchSize - 1) / batchSize;
    assertEquals(strips * perRound, wholeDihedral.size(), "batches: " + perRound + " per round of 8 strips");
  }

  /**
   * With room for 8 tiles a batch holds one tile position of every copy's grid, copies in the order
   * of {@link DihedralTransform}: a square page of 15 x 15 tiles takes 225 batches of 8, and in the
   * first the transposing copy's tile is the identity's first tile read along the diagonal.
   */
  @Test
  void theCopiesOfATilePositionShareABatch() {
    Image image = TinyModels.blobs(300, 300, 8);
    NormalizationStats stats = NormalizationStats.of(image, NormalizationSpec.percentile());
    RecordingModel model = new RecordingModel();
    new OverlapTiles(TILING, model, 1, 2, 8, DihedralTransform.of(TestTimeAugmentation.DIHEDRAL)).whole(image, stats,
        TileProgress.NONE);
    assertEquals(15 * 15, model.batches.size());
    int tile = TILING.tile();
    float[] first = model.batches.get(0);
    assertEquals(8 * tile * tile, first.length);
    for (int v = 0; v < tile; v++) {
      for (int u = 0; u < tile; u++) {
        assertEquals(first[v * tile + u], first[4 * tile * tile + u * tile + v], "transposed (" + u + ", " + v + ")");
      }
    }
  }
}
