package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.unet4j.augment.Mirror;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.losses.weights.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.train.Checkpoint;
import org.unet4j.recipes.train.Checkpoints;
import org.unet4j.recipes.train.ExportedModel;

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
 * <p><b>Memory.</b> Besides the caller's image, a prediction holds the normalised image, the
 * probability map being summed and one batch of input and output tiles; the transformed copies are
 * never materialised (tiles are read through the mirror and transform index maps).
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

  private Predictor(ModelSource source, InferenceSpec inference, Tiling tiling, TileModel model) {
    this.source = source;
    this.recipe = source.recipe();
    this.inference = inference;
    this.tiling = tiling;
    this.model = model;
    this.channels = recipe.model().inputChannels();
    this.classes = recipe.model().classes();
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
   * @throws IllegalArgumentException when the tile does not fit the model (naming the nearest
   *     valid tiles) or differs from the tile an export was compiled for
   */
  public static Predictor open(ModelSource source, InferenceSpec inference) {
    checkNotNull(source, "source");
    checkNotNull(inference, "inference");
    Recipe recipe = source.recipe();
    int tile = inference.tile();
    SpecException invalid = recipe.model().geometry().whyInvalid(tile);
    if (invalid != null) {
      throw new IllegalArgumentException("tile " + tile + " does not fit " + recipe.name() + ": "
          + invalid.getMessage(), invalid);
    }
    if (source.fixedTile().isPresent() && source.fixedTile().getAsInt() != tile) {
      throw new IllegalArgumentException("tile " + tile + ": the export " + source.directory() + " is compiled for"
          + " tile " + source.fixedTile().getAsInt() + "; predict with that tile, or export the run again with"
          + " `unet4j export RUN --tile " + tile + " --out DIR`");
    }
    Tiling tiling = Tiling.of(recipe.model(), tile);
    TileModel model = source.kind() == ModelSource.Kind.EXPORT
        ? new ExportTiles(ExportedModel.load(source.directory()))
        : CheckpointTiles.restore(recipe, tile, checkNotNull(source.checkpoint(), "checkpoint"));
    return new Predictor(source, inference, tiling, model);
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
   * @throws IllegalArgumentException when the image's channels differ from the model's input
   */
  public ProbabilityMap predict(Image image, TileProgress progress) {
    checkNotNull(image, "image");
    checkNotNull(progress, "progress");
    checkArgument(image.channels() == channels, "the image has %s channel(s) but the model reads %s"
        + " (model.inputChannels)", image.channels(), channels);
    float[] input = Normalizer.apply(image, recipe.data().normalization());
    int width = image.width();
    int height = image.height();
    List<DihedralTransform> transforms = DihedralTransform.of(inference.tta());
    float[] sum = new float[Math.multiplyExact(Math.multiplyExact(width, height), classes)];
    Batch batch = new Batch(input, width, height, sum, progress, tileCount(width, height));
    for (DihedralTransform transform : transforms) {
      int w = transform.width(width, height);
      int h = transform.height(width, height);
      for (int row = 0; row < tiling.tilesAlong(h); row++) {
        for (int column = 0; column < tiling.tilesAlong(w); column++) {
          batch.add(transform, column * tiling.step(), row * tiling.step());
        }
      }
    }
    batch.flush();
    if (transforms.size() > 1) {
      // 1/4 and 1/8 are powers of two: the mean is exactly the sum scaled.
      float scale = 1f / transforms.size();
      for (int i = 0; i < sum.length; i++) {
        sum[i] *= scale;
      }
    }
    return new ProbabilityMap(width, height, classes, sum);
  }

  /**
   * Instance labels from the foreground of {@code map} with this predictor's threshold, hole
   * filling and minimum object size ({@link InstanceSegmentation}).
   */
  public InstanceLabels labels(ProbabilityMap map) {
    return InstanceSegmentation.labels(map.foreground(), map.width(), map.height(), inference.threshold(),
        inference.fillHoles(), inference.minObjectSize());
  }

  /**
   * Predicts every page of the image {@code file} and writes {@code NAME_prob.tif},
   * {@code NAME_labels.tif} and the overlays into {@code folder} ({@link PredictionFiles}; each
   * file is written under a temporary name and renamed, so a file of an output name is always
   * complete).
   *
   * @param name the output name, usually the file's name without its extension
   * @param progress the progress of each page, given a task name such as {@code "a.tif page 2/5"}
   * @throws org.unet4j.recipes.data.ImageReadException when the file cannot be read
   * @throws IllegalArgumentException when a page's channels differ from the model's input or a
   *     page has more objects than 16-bit labels hold
   */
  public PredictedImage predictFile(Path file, String name, Path folder, Function<String, TileProgress> progress) {
    checkNotNull(file, "file");
    checkNotNull(name, "name");
    checkNotNull(folder, "folder");
    checkNotNull(progress, "progress");
    long began = System.nanoTime();
    List<Image> pages = ImageIo.readPages(file);
    List<ProbabilityMap> maps = new ArrayList<>(pages.size());
    List<InstanceLabels> labels = new ArrayList<>(pages.size());
    long tiles = 0;
    long objects = 0;
    long foreground = 0;
    long pixels = 0;
    for (int page = 0; page < pages.size(); page++) {
      Image image = pages.get(page);
      String where = pages.size() == 1 ? "" : " page " + (page + 1);
      if (image.channels() != channels) {
        throw new IllegalArgumentException(file + where + " has " + image.channels() + " channel(s) but the model"
            + " reads " + channels + " (model.inputChannels)");
      }
      String task = pages.size() == 1 ? name : name + " page " + (page + 1) + "/" + pages.size();
      ProbabilityMap map = predict(image, progress.apply(task));
      InstanceLabels instances = labels(map);
      tiles += tileCount(image.width(), image.height());
      objects += instances.cellCount();
      for (int value : instances.toArray()) {
        if (value != 0) {
          foreground++;
        }
      }
      pixels += (long) image.width() * image.height();
      maps.add(map);
      labels.add(instances);
    }
    PredictionFiles files = PredictionFiles.of(folder, name, pages.size());
    files.write(pages, maps, labels);
    Image first = pages.get(0);
    return new PredictedImage(name, file, first.width(), first.height(), pages.size(), objects,
        (double) foreground / pixels, tiles, (System.nanoTime() - began) / 1e9, files);
  }

  /** Frees the native graph and session. */
  @Override
  public void close() {
    model.close();
  }

  /** The tiles of one prediction waiting to be run, and where their outputs go. */
  private final class Batch {
    private final float[] input;
    private final int width;
    private final int height;
    private final float[] sum;
    private final TileProgress progress;
    private final long total;
    private final int tileSamples;
    private final float[] tiles;
    private final DihedralTransform[] transforms;
    private final int[] originX;
    private final int[] originY;
    private final int[] columns;
    private final int[] rows;
    private int size;
    private long done;

    Batch(float[] input, int width, int height, float[] sum, TileProgress progress, long total) {
      this.input = input;
      this.width = width;
      this.height = height;
      this.sum = sum;
      this.progress = progress;
      this.total = total;
      int capacity = (int) Math.min(inference.batchSize(), total);
      this.tileSamples = tiling.tile() * tiling.tile() * channels;
      this.tiles = new float[Math.multiplyExact(capacity, tileSamples)];
      this.transforms = new DihedralTransform[capacity];
      this.originX = new int[capacity];
      this.originY = new int[capacity];
      this.columns = new int[tiling.tile()];
      this.rows = new int[tiling.tile()];
    }

    /**
     * Copies the input tile at {@code (x0, y0)} of the transformed image's grid into the batch:
     * extended-image pixel {@code x0 + u} is transformed-image pixel {@code x0 + u - context},
     * mirrored into the image.
     */
    void add(DihedralTransform transform, int x0, int y0) {
      int w = transform.width(width, height);
      int h = transform.height(width, height);
      int tile = tiling.tile();
      for (int u = 0; u < tile; u++) {
        columns[u] = Mirror.index(x0 + u - tiling.context(), w);
        rows[u] = Mirror.index(y0 + u - tiling.context(), h);
      }
      int[] columnOffsets = transform.columnOffsets(columns, width, height, channels);
      int[] rowOffsets = transform.rowOffsets(rows, width, height, channels);
      int at = size * tileSamples;
      for (int v = 0; v < tile; v++) {
        int row = rowOffsets[v];
        if (channels == 1) {
          for (int u = 0; u < tile; u++) {
            tiles[at++] = input[row + columnOffsets[u]];
          }
        } else {
          for (int u = 0; u < tile; u++) {
            int from = row + columnOffsets[u];
            for (int c = 0; c < channels; c++) {
              tiles[at++] = input[from + c];
            }
          }
        }
      }
      transforms[size] = transform;
      originX[size] = x0;
      originY[size] = y0;
      size++;
      if (size == transforms.length) {
        flush();
      }
    }

    /** Runs the waiting tiles and adds each one's share of the output to the sum. */
    void flush() {
      if (size == 0) {
        return;
      }
      float[] probabilities = model.predict(size == transforms.length ? tiles
          : Arrays.copyOf(tiles, size * tileSamples), size);
      int out = tiling.outputSize();
      int skip = tiling.skip();
      int tileValues = out * out * classes;
      for (int b = 0; b < size; b++) {
        DihedralTransform transform = transforms[b];
        int w = transform.width(width, height);
        int h = transform.height(width, height);
        // This tile writes transformed-image pixels [x0, x0 + step), or up to the image's end.
        int x0 = originX[b];
        int y0 = originY[b];
        int[] xs = range(x0, Math.min(tiling.step(), w - x0));
        int[] ys = range(y0, Math.min(tiling.step(), h - y0));
        int[] columnOffsets = transform.columnOffsets(xs, width, height, classes);
        int[] rowOffsets = transform.rowOffsets(ys, width, height, classes);
        int tileBase = b * tileValues;
        for (int i = 0; i < ys.length; i++) {
          int from = tileBase + ((skip + i) * out + skip) * classes;
          int row = rowOffsets[i];
          for (int j = 0; j < xs.length; j++) {
            int to = row + columnOffsets[j];
            for (int k = 0; k < classes; k++) {
              sum[to + k] += probabilities[from++];
            }
          }
        }
      }
      done += size;
      size = 0;
      progress.update(done, total);
    }

    private static int[] range(int from, int count) {
      int[] values = new int[count];
      for (int i = 0; i < count; i++) {
        values[i] = from + i;
      }
      return values;
    }
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
      CompiledModel model = ModelCompiler.compile(recipe.model(), tile, recipe.training().seed());
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
