package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PageSource;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;

/**
 * Overlap-tile prediction of images of any size with a trained model (paper Fig. 2): the image is
 * normalised as in training ({@code data.normalization}), mirror-extended at its borders and cut
 * into overlapping input tiles whose outputs abut; see {@link Tiling} for why the result equals
 * one pass of the net over the whole image. A net whose output is coarser than its input (fewer
 * expanding than contracting stages) has each tile's output upsampled bilinearly to the input's
 * resolution ({@link BilinearUpsampling}), so its probability maps have the image's size too.
 * Tiles are predicted {@code inference.batchSize} at a time, with their test-time copies where
 * memory allows ({@link #tilesPerBatch()}).
 *
 * <p><b>Test-time augmentation.</b> With {@code tta = mirrors} or {@code dihedral} the whole image
 * is transformed (4 mirrors or the 8 quarter turns and mirrors, {@link DihedralTransform}), each
 * copy is tiled and predicted on its own grid, read back through the inverse transform and the
 * copies are averaged. Transforming the image rather than each tile keeps every copy an exact
 * whole-image prediction, so the average is exactly equivariant: predicting a rotated image gives
 * the rotated prediction. The paper averaged 7 rotated versions for ISBI 2012 (Sec. 4).
 *
 * <p><b>Memory.</b> Besides the caller's image, {@link #predict} holds the normalised image, the
 * probability map being summed and one batch of input and output tiles; the transformed copies are
 * never materialised (tiles are read through the mirror and transform index maps).
 * {@link #predictFile} ({@link FilePrediction}) streams large pages and stacks (see {@link StreamingPolicy}): it reads a
 * page by bands of rows, sums one band of probabilities at a time, writes the rows as they are
 * finished and labels them band by band ({@link BandLabelling}), so its memory is that of a band
 * whatever the page's size. {@link #predictRows} predicts one band for batch engines.
 *
 * <p><b>3D nets</b> ({@code model.dimensions} 3) are predicted by a {@link VolumePredictor}
 * ({@link #volumes()}): {@link #predictFile} then predicts a TIFF stack as one volume, and the
 * methods on single images refuse with a {@link ModelMismatchException}.
 *
 * <p>{@link #predict} may be called from several threads at once. Close the predictor to free the
 * native graph and session.
 */
public final class Predictor implements AutoCloseable {
  private final ModelSource source;
  private final Recipe recipe;
  private final InferenceSpec inference;
  private final Tiling tiling;
  /** The 2D net on tiles; null for a 3D net, whose {@link #volumes} holds its own. */
  private final @Nullable TileModel model;
  private final int channels;
  private final int classes;
  private final int tilesPerBatch;
  /** The 2D tile loop; null for a 3D net, which {@link #volumes} predicts. */
  private final @Nullable OverlapTiles tiles;
  private final @Nullable VolumePredictor volumes;
  private final StreamingPolicy streaming;

  private Predictor(ModelSource source, InferenceSpec inference, StreamingPolicy streaming, Tiling tiling,
      TileModel model) {
    this.source = source;
    this.streaming = streaming;
    this.recipe = source.recipe();
    this.inference = inference;
    this.tiling = tiling;
    this.model = model;
    this.channels = recipe.model().inputChannels();
    this.classes = recipe.model().classes();
    List<DihedralTransform> copies = DihedralTransform.of(inference.tta());
    this.tilesPerBatch = TileBatching.tilesPerBatch(recipe.model(), tiling.tile(), inference.batchSize(),
        copies.size());
    this.tiles = new OverlapTiles(tiling, model, channels, classes, tilesPerBatch, copies);
    this.volumes = null;
  }

  /** A predictor of volumes: the 3D net's in-plane tiling stands for its tiling in the 2D methods' place. */
  private Predictor(ModelSource source, StreamingPolicy streaming, VolumePredictor volumes) {
    this.source = source;
    this.streaming = streaming;
    this.recipe = source.recipe();
    this.inference = volumes.inference();
    this.tiling = volumes.tiling().y();
    this.model = null;
    this.channels = recipe.model().inputChannels();
    this.classes = recipe.model().classes();
    this.tilesPerBatch = inference.batchSize();
    this.tiles = null;
    this.volumes = volumes;
  }

  /** The model at {@code path} (run, checkpoint or export) with its recipe's inference settings. */
  public static Predictor open(Path path) {
    ModelSource source = ModelSource.of(path);
    return open(source, source.recipe().inference());
  }

  /**
   * Loads the model's weights for prediction with {@code inference} (tile, batch size, test-time
   * augmentation, post-processing), which may differ from the recipe's.
   *
   * @throws ModelMismatchException when the tile does not fit the model (naming the nearest
   *     valid tiles) or differs from the tile an export was compiled for, or the settings ask for
   *     classes the model lacks ({@link ModelMismatchException#requireClasses})
   */
  public static Predictor open(ModelSource source, InferenceSpec inference) {
    return open(source, inference, StreamingPolicy.DEFAULT);
  }

  /**
   * {@link #open(ModelSource, InferenceSpec)} with a choice of when {@link #predictFile} streams
   * a file rather than reading it whole.
   */
  public static Predictor open(ModelSource source, InferenceSpec inference, StreamingPolicy streaming) {
    checkNotNull(source, "source");
    checkNotNull(inference, "inference");
    checkNotNull(streaming, "streaming");
    Recipe recipe = source.recipe();
    if (recipe.model().dimensions() == 3) {
      return new Predictor(source, streaming, VolumePredictor.open(source, inference));
    }
    int tile = inference.tile();
    recipe.model().geometry().requireValid(tile, recipe.name());
    if (source.fixedTile().isPresent() && source.fixedTile().getAsInt() != tile) {
      throw ModelMismatchException.exportTile(source.directory(), tile, source.fixedTile().getAsInt());
    }
    ModelMismatchException.requireClasses(recipe, inference);
    Tiling tiling = Tiling.of(recipe.model(), tile);
    TileModel model = source.kind() == ModelSource.Kind.EXPORT
        ? new ExportTiles(ExportedModel.load(source.directory()))
        // An inference graph: Winograd kernels are transformed once per session, not on every tile.
        : CheckpointTiles.restore(ModelCompiler.compileForInference(recipe.model(), tile, recipe.training().seed()),
            checkNotNull(source.checkpoint(), "checkpoint"), tile, tile, recipe.model().inputChannels());
    if (tiling.stride() > 1) {
      model = new UpsampledTiles(model, tiling.outputSize(), recipe.model().classes(), tiling.stride());
    }
    return new Predictor(source, inference, streaming, tiling, model);
  }

  public ModelSource source() {
    return source;
  }

  /** The recipe the model was trained with. */
  public Recipe recipe() {
    return recipe;
  }

  /** The inference settings in use (the recipe's, or those given to {@link #open}). */
  public InferenceSpec inference() {
    return inference;
  }

  public Tiling tiling() {
    return tiling;
  }

  /**
   * Tiles that go through the net in one run: {@code inference.batchSize}, times the test-time
   * copies as far as a batch's activations stay within 1 GiB (copies of one tile are predicted
   * together rather than one after the other).
   */
  public int tilesPerBatch() {
    return tilesPerBatch;
  }

  /** Tiles predicted for a {@code width x height} image, test-time copies included. */
  public long tileCount(int width, int height) {
    images();
    return tiling.tileCount(width, height) * DihedralTransform.of(inference.tta()).size();
  }

  /** {@link #predict(Image, TileProgress)} without progress. */
  public ProbabilityMap predict(Image image) {
    return predict(image, TileProgress.NONE);
  }

  /**
   * The class probabilities of every pixel of {@code image} (one page, raw intensities, any size
   * of at least 1x1).
   *
   * @throws ModelMismatchException when the image's channels differ from the model's input
   */
  public ProbabilityMap predict(Image image, TileProgress progress) {
    checkNotNull(image, "image");
    checkNotNull(progress, "progress");
    checkArgument(image.channels() == channels, "the image has %s channel(s) but the model reads %s"
        + " (model.inputChannels)", image.channels(), channels);
    return images().whole(image, NormalizationStats.of(image, recipe.data().normalization()), progress);
  }

  /**
   * The normalisation statistics of a page as training computed them for whole images
   * ({@code data.normalization}), gathered by bands of rows: what {@link #predictRows} needs.
   */
  public NormalizationStats normalization(PageSource page) {
    checkNotNull(page, "page");
    return NormalizationStats.of(page, recipe.data().normalization());
  }

  /**
   * The class probabilities of rows {@code [fromRow, toRow)} of a page: equal (up to float
   * rounding inside TensorFlow) to the same rows of {@link #predict} on the whole page, while
   * reading only the rows the covering tiles need (the band plus the mirrored context). A batch
   * job can cut a huge page into bands and predict them apart; bands whose borders are multiples
   * of {@code tiling().step()} share no tiles (without test-time augmentation; with it, the copies
   * mirrored top to bottom count their grid from the bottom row and a band predicts whole rounds
   * of a strip of every copy, so a band border costs one round of tiles twice).
   *
   * @param page the page, read by bands ({@link PageSource#of} for an image in memory,
   *     {@link org.unet4j.recipes.data.ImageFile#page} for a file)
   * @param stats the normalisation of the whole page ({@link #normalization}), the same for every band
   * @param progress told after every batch; counts the tiles of this band
   * @return a map of the page's width and {@code toRow - fromRow} rows
   * @throws ModelMismatchException when the page's channels differ from the model's input or the
   *     rows are not {@code 0 <= fromRow < toRow <= height}
   */
  public ProbabilityMap predictRows(PageSource page, NormalizationStats stats, int fromRow, int toRow,
      TileProgress progress) {
    checkNotNull(page, "page");
    checkNotNull(stats, "stats");
    checkNotNull(progress, "progress");
    checkArgument(page.channels() == channels, "the image has %s channel(s) but the model reads %s"
        + " (model.inputChannels)", page.channels(), channels);
    return images().rows(page, stats, fromRow, toRow, progress);
  }

  /** Tiles {@link #predictRows} predicts for rows {@code [fromRow, toRow)} of a {@code width x height} page. */
  public long tileCount(int width, int height, int fromRow, int toRow) {
    return images().tileCount(width, height, fromRow, toRow);
  }

  /**
   * The map as this predictor's inference writes it and labels it: with {@code inference.thinBoundaries}, the
   * boundaries between its regions above the threshold thinned to one-pixel dams ({@link BoundaryThinning});
   * otherwise {@code map} itself. Give it a whole page: {@link #predict}'s map, or the bands of
   * {@link #predictRows} put together (thinning floods the whole page).
   */
  public ProbabilityMap postProcessed(ProbabilityMap map) {
    checkNotNull(map, "map");
    return BoundaryThinning.thin(map, inference.threshold(), inference.thinBoundaries(), inference.thinFloor());
  }

  /**
   * Instance labels from the foreground of {@code map} with this predictor's threshold, hole
   * filling and minimum object size ({@link InstanceSegmentation}); with an
   * {@code inference.instanceClass}, the objects seeded by that class and grown into the foreground
   * ({@link InstanceSegmentation#grown}).
   */
  public InstanceLabels labels(ProbabilityMap map) {
    images();
    if (inference.instanceClass() > 0) {
      return InstanceSegmentation.grown(map, inference.instanceClass(), inference.threshold(), inference.fillHoles(),
          inference.minObjectSize());
    }
    return InstanceSegmentation.labels(map.foreground(), map.width(), map.height(), inference);
  }

  /**
   * Instance labels of one class of {@code map} with this predictor's hole filling and minimum
   * object size ({@link InstanceSegmentation#ofClass}).
   */
  public InstanceLabels classLabels(ProbabilityMap map, int k) {
    return InstanceSegmentation.ofClass(map, k, inference.fillHoles(), inference.minObjectSize());
  }

  /**
   * The instances of every class k = 1..K-1 of {@code map}, class 1 first, each class's objects
   * apart ({@link #classLabels}), when {@code inference.instancesPerClass} asks for them; empty
   * otherwise.
   */
  public List<InstanceLabels> classInstances(ProbabilityMap map) {
    checkNotNull(map, "map");
    if (!inference.instancesPerClass()) {
      return List.of();
    }
    List<InstanceLabels> out = new ArrayList<>(map.classes() - 1);
    for (int k = 1; k < map.classes(); k++) {
      out.add(classLabels(map, k));
    }
    return List.copyOf(out);
  }

  /**
   * Predicts every page of the image {@code file} into {@code folder} as {@code NAME_prob.tif},
   * {@code NAME_labels.tif} and the overlays, in memory or by bands as this predictor's streaming
   * policy says: {@link FilePrediction#predict}, which holds the file-level work.
   *
   * @param name the output name, usually the file's name without its extension
   * @param progress the progress of each page, given a task name such as {@code "a.tif page 2/5"}
   */
  public PredictedImage predictFile(Path file, String name, Path folder, Function<String, TileProgress> progress) {
    return predictFile(file, name, folder, Set.of(), progress);
  }

  /**
   * {@link #predictFile(Path, String, Path, Function)} that also writes the per-object outputs
   * {@code objectOutputs}: {@code NAME_rois.zip} for Fiji's ROI Manager and {@code NAME_objects.csv}
   * ({@link ObjectFiles}); for a 3D net, the volume's table ({@link VolumePredictor#predictFile(Path,
   * String, Path, Set, Function)}), ROI sets being refused.
   */
  public PredictedImage predictFile(Path file, String name, Path folder, Set<ObjectOutput> objectOutputs,
      Function<String, TileProgress> progress) {
    if (volumes != null) {
      return volumes.predictFile(file, name, folder, objectOutputs, progress);
    }
    return new FilePrediction(this, streaming, objectOutputs).predict(file, name, folder, progress);
  }

  /**
   * The volume predictor of a 3D net ({@code model.dimensions} 3), which predicts volumes in
   * memory and plane ranges of stacks.
   *
   * @throws ModelMismatchException for a 2D net
   */
  public VolumePredictor volumes() {
    if (volumes == null) {
      throw new ModelMismatchException(recipe.name() + ": a 2D net predicts images; volumes need a 3D net"
          + " (model.dimensions 3)");
    }
    return volumes;
  }

  /** Whether the model is a 3D net, whose files are volumes ({@link #volumes()}). */
  public boolean predictsVolumes() {
    return volumes != null;
  }

  /** The 2D tile loop, refusing a 3D net. */
  private OverlapTiles images() {
    if (tiles == null) {
      throw new ModelMismatchException(recipe.name() + ": a 3D net (model.dimensions 3) predicts volumes, not"
          + " single images: Model.predict(Volume), VolumePredictor, or a file whose pages are the planes");
    }
    return tiles;
  }

  /** The number of probability channels the model writes. */
  int classes() {
    return classes;
  }

  /**
   * A page predicted whole with the normalisation already gathered for it, for file prediction that must see
   * the page at once (thinned boundaries): {@link #predict} without computing {@code stats} again.
   */
  ProbabilityMap predictPage(PageSource page, NormalizationStats stats, TileProgress progress) {
    return images().whole(page.all(), stats, progress);
  }

  /** Streams a page band by band through the tiles ({@link OverlapTiles#stream}), for file prediction. */
  void streamBands(PageSource page, NormalizationStats stats, int bandRows, OverlapTiles.RowSink sink,
      TileProgress progress) {
    images().stream(page, stats, bandRows, sink, progress);
  }

  /** Frees the native graph and session. */
  @Override
  public void close() {
    if (model != null) {
      model.close();
    }
    if (volumes != null) {
      volumes.close();
    }
  }

  /** An exported SavedModel, compiled for one tile (a block, for a 3D net's {@link VolumePredictor}). */
  record ExportTiles(ExportedModel export) implements TileModel {
    @Override
    public void predict(float[] tiles, int batch, float[] probabilities) {
      export.predict(tiles, batch, probabilities);
    }

    @Override
    public void close() {
      export.close();
    }
  }
}
