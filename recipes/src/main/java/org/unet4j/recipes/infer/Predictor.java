package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PageSource;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.StripTiffWriter;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;
import org.unet4j.dsl.geometry.Tiling;

/**
 * Overlap-tile prediction of images of any size with a trained model (paper Fig. 2): the image is
 * normalised as in training ({@code data.normalization}), mirror-extended at its borders and cut
 * into overlapping input tiles whose outputs abut; see {@link Tiling} for why the result equals
 * one pass of the net over the whole image. Tiles are predicted {@code inference.batchSize} at a
 * time.
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
 * {@link #predictFile} streams large pages and stacks (see {@link StreamingPolicy}): it reads a
 * page by bands of rows, sums one band of probabilities at a time, writes the rows as they are
 * finished and labels them band by band ({@link BandLabelling}), so its memory is that of a band
 * whatever the page's size. {@link #predictRows} predicts one band for batch engines.
 *
 * <p>{@link #predict} may be called from several threads at once. Close the predictor to free the
 * native graph and session.
 */
public final class Predictor implements AutoCloseable {
  private final ModelSource source;
  private final Recipe recipe;
  private final InferenceSpec inference;
  private final Tiling tiling;
  private final TileModel model;
  private final int channels;
  private final int classes;
  private final OverlapTiles tiles;
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
    this.tiles = new OverlapTiles(tiling, model, channels, classes, inference.batchSize(),
        DihedralTransform.of(inference.tta()));
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
   *     valid tiles) or differs from the tile an export was compiled for
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
    int tile = inference.tile();
    recipe.model().geometry().requireValid(tile, recipe.name());
    if (source.fixedTile().isPresent() && source.fixedTile().getAsInt() != tile) {
      throw ModelMismatchException.exportTile(source.directory(), tile, source.fixedTile().getAsInt());
    }
    Tiling tiling = Tiling.of(recipe.model(), tile);
    TileModel model = source.kind() == ModelSource.Kind.EXPORT
        ? new ExportTiles(ExportedModel.load(source.directory()))
        : CheckpointTiles.restore(recipe, tile, checkNotNull(source.checkpoint(), "checkpoint"));
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

  /** Tiles predicted for a {@code width x height} image, test-time copies included. */
  public long tileCount(int width, int height) {
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
    return tiles.whole(image, NormalizationStats.of(image, recipe.data().normalization()), progress);
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
   * mirrored top to bottom count their grid from the bottom row, so a band border between their
   * strips costs one strip of tiles twice).
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
    return tiles.rows(page, stats, fromRow, toRow, progress);
  }

  /** Tiles {@link #predictRows} predicts for rows {@code [fromRow, toRow)} of a {@code width x height} page. */
  public long tileCount(int width, int height, int fromRow, int toRow) {
    return tiles.tileCount(width, height, fromRow, toRow);
  }

  /**
   * Instance labels from the foreground of {@code map} with this predictor's threshold, hole
   * filling and minimum object size ({@link InstanceSegmentation}).
   */
  public InstanceLabels labels(ProbabilityMap map) {
    return InstanceSegmentation.labels(map.foreground(), map.width(), map.height(), inference);
  }

  /**
   * Predicts every page of the image {@code file} and writes {@code NAME_prob.tif},
   * {@code NAME_labels.tif} and the overlays into {@code folder} ({@link PredictionFiles}; each
   * file is written under a temporary name and renamed, so a file of an output name is always
   * complete). A one-page file under the streaming policy's size is predicted in memory; larger
   * pages and every page of a stack are streamed by bands of rows, with the same results and the
   * memory of a band ({@link StreamingPolicy}).
   *
   * @param name the output name, usually the file's name without its extension
   * @param progress the progress of each page, given a task name such as {@code "a.tif page 2/5"}
   * @throws org.unet4j.recipes.data.ImageReadException when the file cannot be read
   * @throws org.unet4j.dsl.InvalidInputException when a page's channels differ from the model's input or a
   *     page has more objects than 16-bit labels hold
   */
  public PredictedImage predictFile(Path file, String name, Path folder, Function<String, TileProgress> progress) {
    checkNotNull(file, "file");
    checkNotNull(name, "name");
    checkNotNull(folder, "folder");
    checkNotNull(progress, "progress");
    long began = System.nanoTime();
    try (ImageFile in = ImageFile.open(file)) {
      List<PageSource> pages = new ArrayList<>(in.pageCount());
      for (int page = 0; page < in.pageCount(); page++) {
        PageSource source = in.page(page);
        if (source.channels() != channels) {
          throw new ModelMismatchException(file + (in.pageCount() == 1 ? "" : " page " + (page + 1)) + " has "
              + source.channels() + " channel(s) but the model reads " + channels + " (model.inputChannels)");
        }
        pages.add(source);
      }
      PageSource first = pages.get(0);
      boolean whole = pages.size() == 1 && (long) first.width() * first.height() < streaming.minPixels();
      Counts counts = whole ? predictWhole(first, name, folder, progress)
          : predictStreamed(pages, name, folder, progress);
      return new PredictedImage(name, file, first.width(), first.height(), pages.size(), counts.objects,
          (double) counts.foreground / counts.pixels, counts.tiles, (System.nanoTime() - began) / 1e9,
          PredictionFiles.of(folder, name, pages.size()));
    }
  }

  /** What a prediction of a file found. */
  private static final class Counts {
    long tiles;
    long objects;
    long foreground;
    long pixels;
  }

  /** One page in memory: one map, labels, the JDK's writers. */
  private Counts predictWhole(PageSource page, String name, Path folder, Function<String, TileProgress> progress) {
    Image image = page.all();
    ProbabilityMap map = predict(image, progress.apply(name));
    InstanceLabels instances = labels(map);
    Counts counts = new Counts();
    counts.tiles = tileCount(image.width(), image.height());
    counts.objects = instances.cellCount();
    for (int value : instances.toArray()) {
      if (value != 0) {
        counts.foreground++;
      }
    }
    counts.pixels = (long) image.width() * image.height();
    PredictionFiles.of(folder, name, 1).write(List.of(image), List.of(map), List.of(instances));
    return counts;
  }

  /**
   * Page after page, each by bands: probabilities and provisional labels are written as the bands
   * are finished, then the labels are resolved and written and the overlay drawn from them
   * ({@link BandLabelling}). Every output goes to a temporary file renamed when all pages are done.
   */
  private Counts predictStreamed(List<PageSource> pages, String name, Path folder,
      Function<String, TileProgress> progress) {
    PredictionFiles files = PredictionFiles.of(folder, name, pages.size());
    Counts counts = new Counts();
    List<Path> overlays = new ArrayList<>();
    try (StripTiffWriter probabilities = StripTiffWriter.create(files.probabilities());
        StripTiffWriter labels = StripTiffWriter.create(files.labels())) {
      for (int page = 0; page < pages.size(); page++) {
        PageSource source = pages.get(page);
        String task = pages.size() == 1 ? name : name + " page " + (page + 1) + "/" + pages.size();
        overlays.add(predictPage(source, page, pages.size(), task, files, probabilities, labels,
            progress.apply(task), counts));
      }
      probabilities.commit();
      labels.commit();
      for (int page = 0; page < overlays.size(); page++) {
        PredictionFiles.moveInPlace(overlays.get(page), files.overlays().get(page));
      }
    } finally {
      for (Path overlay : overlays) {
        PredictionFiles.deleteQuietly(overlay);
      }
    }
    return counts;
  }

  /** Streams one page into the writers and its overlay into a temporary file, which it returns. */
  private Path predictPage(PageSource page, int index, int pageCount, String task, PredictionFiles files,
      StripTiffWriter probabilities, StripTiffWriter labels, TileProgress progress, Counts counts) {
    int width = page.width();
    int height = page.height();
    Path folder = files.probabilities().toAbsolutePath().getParent();
    NormalizationStats stats = normalization(page);
    try (BandLabelling labelling = new BandLabelling(width, height, inference.threshold(), inference.fillHoles(),
        inference.minObjectSize(), inference.instances() == InstanceMethod.WATERSHED, inference.seedThreshold(),
        folder, files.labels().getFileName().toString())) {
      probabilities.beginPage(width, height, PixelType.FLOAT32);
      tiles.stream(page, stats, streaming.bandRows(width, classes, tiling.step()), (firstRow, band) -> {
        float[] foreground = band.foreground();
        probabilities.writeRows(foreground, 0, band.height());
        labelling.addRows(foreground, band.height());
      }, progress);
      probabilities.endPage();
      counts.tiles += tileCount(width, height);
      int objects = labelling.finish();
      files.checkLabelCount(objects, index);
      counts.objects += objects;
      labels.beginPage(width, height, PixelType.UINT16);
      int[] row = new int[width];
      float[] values = new float[width];
      try (BandLabelling.LabelRows rows = labelling.rows()) {
        for (int y = 0; y < height; y++) {
          rows.next(row);
          for (int x = 0; x < width; x++) {
            values[x] = row[x];
            if (row[x] != 0) {
              counts.foreground++;
            }
          }
          labels.writeRows(values, 0, 1);
        }
      }
      labels.endPage();
      counts.pixels += (long) width * height;
      Path overlay = files.overlays().get(index);
      Path temporary = PredictionFiles.temporary(overlay);
      // The overlay stretches the 1st to 99.8th percentile, usually the recipe's normalisation too.
      NormalizationStats gray = recipe.data().normalization().equals(NormalizationSpec.percentile()) ? stats
          : NormalizationStats.of(page, NormalizationSpec.percentile());
      ImageIo.writePngTo(temporary, Overlay.rows(page, gray, labelling::rows));
      return temporary;
    }
  }

  /** Frees the native graph and session. */
  @Override
  public void close() {
    model.close();
  }

  /** A checkpoint restored into an inference graph compiled at the tile. */
  private static final class CheckpointTiles implements TileModel {
    private final CompiledModel model;
    private final Session session;
    private final int tile;

    private CheckpointTiles(CompiledModel model, Session session, int tile) {
      this.model = model;
      this.session = session;
      this.tile = tile;
    }

    static CheckpointTiles restore(Recipe recipe, int tile, Checkpoint checkpoint) {
      // An inference graph: Winograd kernels are transformed once per session, not on every tile.
      CompiledModel model = ModelCompiler.compileForInference(recipe.model(), tile, recipe.training().seed());
      @Nullable Session session = null;
      try {
        session = new Session(model.graph());
        Checkpoints.restore(session, model, checkpoint);
        return new CheckpointTiles(model, session, tile);
      } catch (RuntimeException | Error e) {
        if (session != null) {
          session.close();
        }
        model.close();
        throw e;
      }
    }

    @Override
    public float[] predict(float[] tiles, int batch) {
      int channels = model.spec().inputChannels();
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(batch, tile, tile, channels),
              DataBuffers.of(tiles, true, false));
          Result result = session.runner().feed(model.input(), input).fetch(model.probabilities()).run()) {
        TFloat32 probabilities = (TFloat32) result.get(0);
        float[] out = new float[Math.toIntExact(probabilities.size())];
        probabilities.asRawTensor().data().asFloats().read(out);
        return out;
      }
    }

    @Override
    public void close() {
      session.close();
      model.close();
    }
  }

  /** An exported SavedModel, compiled for one tile. */
  private record ExportTiles(ExportedModel export) implements TileModel {
    @Override
    public float[] predict(float[] tiles, int batch) {
      return export.predict(tiles, batch);
    }

    @Override
    public void close() {
      export.close();
    }
  }
}
