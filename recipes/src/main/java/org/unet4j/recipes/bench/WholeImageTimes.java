package org.unet4j.recipes.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a user waits for per image once a model is loaded (unet4j issue 18): one square image
 * through {@link org.unet4j.recipes.infer.Predictor#predict} (normalisation, tiling, the net,
 * assembly), without test-time augmentation and with the 8 dihedral copies, and what opening the
 * predictor costs once (graph build and checkpoint restore). The first prediction of each
 * predictor is reported on its own: it also pays the session's one-time work (the Winograd kernel
 * transforms, the allocator's growth).
 *
 * @param side the image's side in pixels
 * @param tile the input tile
 * @param tiles tiles of one copy of the image
 * @param tilesPerBatch, dihedralTilesPerBatch tiles per run of the net without and with the copies
 * @param load opening the predictor without TTA, once
 * @param first, none the first prediction, then the timed ones, without TTA
 * @param dihedralFirst, dihedral the same with the 8 dihedral copies averaged
 */
public record WholeImageTimes(int side, int tile, long tiles, int tilesPerBatch, int dihedralTilesPerBatch,
    Timings load, Timings first, Timings none, Timings dihedralFirst, Timings dihedral) {
  /** Issue 18's target for the paper's net: a 512x512 image in one 700 tile, no TTA, in at most 2 s. */
  public static final double TARGET_MS = 2000;
  /** Issue 18's target: dihedral TTA at most 8.4 times the time without (8 copies, 5% over). */
  public static final double DIHEDRAL_RATIO_TARGET = 8.4;

  public WholeImageTimes {
    checkArgument(side >= 1 && tile >= 1 && tiles >= 1 && tilesPerBatch >= 1 && dihedralTilesPerBatch >= 1,
        "side %s, tile %s, tiles %s, tiles per batch %s and %s must be positive", side, tile, tiles, tilesPerBatch,
        dihedralTilesPerBatch);
    checkNotNull(load, "load");
    checkNotNull(first, "first");
    checkNotNull(none, "none");
    checkNotNull(dihedralFirst, "dihedralFirst");
    checkNotNull(dihedral, "dihedral");
  }

  /** The median prediction without TTA, ms. */
  public double noneMs() {
    return none.median();
  }

  /** The median prediction with the dihedral copies, ms. */
  public double dihedralMs() {
    return dihedral.median();
  }

  /**
   * What the dihedral copies cost: {@link #dihedralMs()} over {@link #noneMs()}; about 8 where the
   * copies go through the net one after the other, less where they share its runs.
   */
  public double dihedralRatio() {
    return dihedralMs() / noneMs();
  }

  /** {@link #dihedralRatio()} in the process's CPU time: less sensitive to other work on the machine. */
  public double dihedralCpuRatio() {
    return dihedral.cpuMean() / none.cpuMean();
  }

  /** Adds issue 18's figures to a bench report's JSON. */
  void putHeadline(ObjectNode root) {
    root.put("imageSize", side + "x" + side);
    root.put("imageTile", tile);
    root.put("imageMs", BenchReport.round(noneMs(), 1));
    root.put("imageDihedralMs", BenchReport.round(dihedralMs(), 1));
    root.put("dihedralRatio", BenchReport.round(dihedralRatio(), 3));
    root.put("modelLoadMs", BenchReport.round(load.median(), 1));
  }

  /** Adds the details behind {@link #putHeadline}'s figures. */
  void putDetails(ObjectNode root) {
    root.put("modelLoadCpuMs", BenchReport.round(load.cpuMean(), 1));
    root.put("imageTiles", tiles);
    root.put("imageTilesPerBatch", tilesPerBatch);
    root.put("imageDihedralTilesPerBatch", dihedralTilesPerBatch);
    root.put("imageFirstMs", BenchReport.round(first.median(), 1));
    root.set("imageRunsMs", BenchReport.runs(none.millis()));
    root.put("imageCpuMs", BenchReport.round(none.cpuMean(), 1));
    root.put("imageDihedralFirstMs", BenchReport.round(dihedralFirst.median(), 1));
    root.set("imageDihedralRunsMs", BenchReport.runs(dihedral.millis()));
    root.put("imageDihedralCpuMs", BenchReport.round(dihedral.cpuMean(), 1));
    root.put("dihedralCpuRatio", BenchReport.round(dihedralCpuRatio(), 3));
  }

  /** The rows of the printed table: loading, the image without and with the dihedral copies. */
  void printRows(PrintWriter out) {
    BenchReport.row(out, "model loading", String.format(Locale.ROOT, "%.1f ms", load.median()),
        String.format(Locale.ROOT, "graph and checkpoint, tile %d", tile), "once per predictor");
    BenchReport.row(out, String.format(Locale.ROOT, "image %dx%d", side, side),
        String.format(Locale.ROOT, "%.1f ms", noneMs()), String.format(Locale.ROOT, "%d tile(s) of %d, no TTA", tiles,
            tile), String.format(Locale.ROOT, "first %.0f ms; target <= %.0f ms (paper net, 512, tile 700)",
            first.median(), TARGET_MS));
    BenchReport.row(out, "  dihedral TTA", String.format(Locale.ROOT, "%.1f ms", dihedralMs()),
        String.format(Locale.ROOT, "8 copies, %d tile(s) a run", dihedralTilesPerBatch),
        String.format(Locale.ROOT, "first %.0f ms; ratio %.2f (target <= %.2f), %.2f in CPU time",
            dihedralFirst.median(), dihedralRatio(), DIHEDRAL_RATIO_TARGET, dihedralCpuRatio()));
  }
}
