package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unet4j.augment.Augmenter;
import org.unet4j.augment.Sample;
import org.unet4j.augment.Tile;
import org.unet4j.augment.TileShape;
import org.unet4j.augment.Warp;
import org.unet4j.dsl.recipe.Interpolation;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.labels.ClassLabels;
import org.unet4j.labels.WeightMapCache;

/**
 * A contact sheet of the augmented tiles training feeds the net (paper Sec. 3.1), to look at
 * before a long run. Loads no TensorFlow.
 *
 * <p>The tiles are drawn exactly as {@code DatasetTiles} draws them for training: same training
 * split, same samples, same seeds per step and batch slot, same {@link Augmenter}, same
 * {@link TileShape} (the recipe's training tile and the blocks of input pixels its output grid
 * stands for, {@link OutputGrid}). Row {@code n} (0-based) is slot {@code n % batchSize} of step
 * {@code n / batchSize}. Only the images those tiles come from are loaded, so a preview of a large
 * data set is quick.
 *
 * <p>The {@link #sheet() sheet} has one row per tile: the image tile (channels averaged, its own
 * 1st..99th percentile stretched to black..white), its class labels and its loss weights, side by
 * side at the same scale, labels and weights placed where their crop lies in the image tile (for a
 * net whose output is coarser than its input, the targets of its output pixels, each over its
 * block); ignored pixels ({@code data.ignoreLabel}) are hatched grey and white in both panels
 * ({@link #ignoredRgb}). Over the image, a regular grid resampled under the tile's own {@link Warp} shows the
 * deformation. The same recipe and seed give a byte-identical PNG (the picture carries no time
 * stamp).
 */
public final class AugmentationPreview {
  public static final String SHEET = "augment-contact-sheet.png";
  /** Rows per sheet: 64 tiles of 572 px are a 1.8 x 37 kpx picture, about as large as a viewer opens. */
  public static final int MAX_COUNT = 64;
  /** Pixels between panels and rows. */
  public static final int GAP = 4;
  private static final int BACKGROUND_RGB = 0xFFFFFF;
  /** Labels and weights panels outside the crop: no labels there. */
  public static final int OUTSIDE_CROP_RGB = 0x808080;
  public static final int GRID_RGB = 0x00FFFF;
  /** How much a grid line covers the image under it, so the image stays readable through the grid. */
  private static final double GRID_OPACITY = 0.7;
  public static final int CROP_RGB = 0xFFD000;
  /**
   * Ignored pixels ({@code data.ignoreLabel}, weight 0) in the labels and weights panels are hatched:
   * diagonal stripes two pixels wide of this grey (the weight-map picture's, {@link
   * WeightMapPicture#IGNORED_RGB}) and {@link #IGNORED_HATCH_RGB}, so that they differ from every
   * class colour, every weight and the solid grey outside the crop. {@link #ignoredRgb} says which.
   */
  public static final int IGNORED_RGB = WeightMapPicture.IGNORED_RGB;
  /** The light stripes of the ignored pixels' hatching: white. */
  public static final int IGNORED_HATCH_RGB = 0xFFFFFF;
  /**
   * Class colours: 0 black, then Okabe and Ito's colour-blind safe palette (orange for class 1,
   * the cells). Classes beyond 7 reuse the palette.
   */
  private static final int[] CLASS_RGB = {0x000000, 0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7};
  /** Percentiles of the image tile shown as black and white. */
  private static final double LOW_PERCENTILE = 1;
  private static final double HIGH_PERCENTILE = 99;
  /** Weight maps kept in memory while drawing (as in training). */
  private static final long WEIGHT_MAP_CACHE_BYTES = 1L << 30;

  private final Recipe recipe;
  private final long seed;
  private final int trainingImages;
  private final TileShape shape;
  private final ImmutableList<Row> rows;
  private final ImmutableList<String> rowNames;
  private final float maxWeight;

  private AugmentationPreview(Recipe recipe, long seed, int trainingImages, TileShape shape, List<Row> rows,
      List<String> rowNames) {
    this.recipe = recipe;
    this.seed = seed;
    this.trainingImages = trainingImages;
    this.shape = shape;
    this.rows = ImmutableList.copyOf(rows);
    this.rowNames = ImmutableList.copyOf(rowNames);
    float max = 0;
    for (Row row : rows) {
      for (float w : row.tile().weights()) {
        max = Math.max(max, w);
      }
    }
    this.maxWeight = max;
  }

  /**
   * Draws the first {@code count} tiles (1 to {@link #MAX_COUNT}) a training run of the recipe
   * with run seed {@code seed} sees; relative data paths of the recipe resolve against
   * {@code base}.
   *
   * @throws DataException if the recipe's data cannot be read
   */
  public static AugmentationPreview draw(Recipe recipe, Path base, long seed, int count) {
    checkArgument(count >= 1 && count <= MAX_COUNT, "a contact sheet holds 1 to %s tiles, got %s", MAX_COUNT, count);
    int batchSize = recipe.training().batchSize();
    int tileSize = recipe.training().tile();
    OutputGrid outputGrid = OutputGrid.of(recipe.model(), tileSize);
    TileShape shape = outputGrid.labelCrop();
    Augmenter augmenter = Augmenter.of(recipe.augmentation());
    List<Row> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Dataset dataset = Dataset.open(recipe, base).balancedOverTraining();
    TrainingSamples samples = new TrainingSamples(dataset);
    Sample grid = gridSample(shape);
    for (int n = 0; n < count; n++) {
      TileDraw draw = TileDraw.nth(seed, batchSize, samples.size(), n);
      Tile tile = asTrained(outputGrid, augmenter.randomTile(samples.get(draw.sample()), shape, draw.seed()));
      rows.add(new Row(tile, gridCoverage(augmenter.warp(shape, draw.seed()), grid, shape)));
      names.add(String.format(Locale.ROOT, "step %d slot %d  %s", draw.step(), draw.slot(),
          samples.name(draw.sample())));
    }
    return new AugmentationPreview(recipe, seed, dataset.training().size(), shape, rows, names);
  }

  public Recipe recipe() {
    return recipe;
  }

  /** The run seed the tiles were drawn with. */
  public long seed() {
    return seed;
  }

  /** The tiles on the sheet. */
  public int count() {
    return rows.size();
  }

  /** The images of the training split (validation images are never augmented). */
  public int trainingImages() {
    return trainingImages;
  }

  /** The image tile and the label crop of the recipe's training tile. */
  public TileShape shape() {
    return shape;
  }

  /** Row by row, where its tile comes from: {@code step S slot K  FILE} (and {@code page P} of a stack). */
  public List<String> rowNames() {
    return rowNames;
  }

  /** The largest loss weight on the sheet, shown as viridis' yellow. */
  public float maxWeight() {
    return maxWeight;
  }

  /** The contact sheet: a row per tile of image, labels and weights panels. */
  public BufferedImage sheet() {
    return sheet(rows, maxWeight);
  }

  /**
   * Writes the {@link #sheet() sheet} as {@code folder/}{@value #SHEET} (creating the folder) and
   * returns its path.
   *
   * @throws java.io.UncheckedIOException if it cannot be written
   */
  public Path write(Path folder) {
    Path file = folder.resolve(SHEET);
    ImageIo.writePng(file, sheet());
    return file;
  }

  /**
   * {@code tile} with the targets training takes from it: for a net of output stride s, each output
   * pixel's class and weight ({@link OutputGrid}) painted over its s x s block, so the sheet shows
   * the coarse targets where they lie; the tile itself for stride 1.
   */
  private static Tile asTrained(OutputGrid grid, Tile tile) {
    int stride = grid.stride();
    if (stride == 1) {
      return tile;
    }
    int[] classes = grid.classes(tile);
    float[] weights = grid.weights(tile);
    int side = grid.output() * stride;
    int[] blockLabels = new int[side * side];
    float[] blockWeights = new float[side * side];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int o = (y / stride) * grid.output() + x / stride;
        blockLabels[y * side + x] = classes[o];
        blockWeights[y * side + x] = weights[o];
      }
    }
    return new Tile(tile.shape(), tile.channels(), tile.image(), blockLabels, blockWeights);
  }

  /** One row of the sheet: the tile and how much the deformation grid covers each pixel of its image (0..1). */
  private record Row(Tile tile, float[] grid) {}

  /**
   * The training samples in the order {@code Dataset.load} gives them (pair by pair, page by page),
   * with each pair loaded only when one of its samples is asked for.
   */
  private static final class TrainingSamples {
    private final Dataset dataset;
    private final List<ImagePair> pairs = new ArrayList<>();
    private final List<Integer> pages = new ArrayList<>();
    private final List<Integer> pageCounts = new ArrayList<>();
    private final Map<ImagePair, List<Sample>> loaded = new HashMap<>();
    private final WeightMapCache cache = WeightMapCache.inMemory(WEIGHT_MAP_CACHE_BYTES);

    TrainingSamples(Dataset dataset) {
      this.dataset = dataset;
      for (ImagePair pair : dataset.training()) {
        int n = ImageIo.pageCount(pair.image());
        for (int page = 0; page < n; page++) {
          pairs.add(pair);
          pages.add(page);
          pageCounts.add(n);
        }
      }
    }

    int size() {
      return pairs.size();
    }

    Sample get(int index) {
      return loaded.computeIfAbsent(pairs.get(index), pair -> dataset.load(pair, cache)).get(pages.get(index));
    }

    String name(int index) {
      String file = pairs.get(index).image().getFileName().toString();
      return pageCounts.get(index) > 1 ? file + " page " + (pages.get(index) + 1) : file;
    }
  }

  /**
   * A one-channel picture of a regular grid around the image tile, as each pixel's distance (in
   * pixels) to the nearest grid line, with a margin of one tile on every side so that rotated,
   * shifted or zoomed-out tiles still find grid lines where they read. Lines run through the tile
   * centre's symmetry, so mirrors and quarter turns about the centre leave the grid in place and
   * what moves it is deformation, rotation by other angles, shift and zoom.
   */
  private static Sample gridSample(TileShape shape) {
    int marginY = shape.imageHeight();
    int marginX = shape.imageWidth();
    int height = shape.imageHeight() + 2 * marginY;
    int width = shape.imageWidth() + 2 * marginX;
    double[] rowDistance = lineDistances(shape.imageHeight(), height, marginY);
    double[] columnDistance = lineDistances(shape.imageWidth(), width, marginX);
    float[] distance = new float[height * width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        distance[y * width + x] = (float) Math.min(rowDistance[y], columnDistance[x]);
      }
    }
    return new Sample(height, width, 1, distance, new int[height * width], new float[height * width]);
  }

  /** The grid line spacing along an axis of {@code size} pixels: about 12 cells per tile. */
  private static int gridSpacing(int size) {
    int spacing = Math.max(5, (int) Math.round(size / 12.0));
    // An even tile has its centre between two pixels; an odd spacing puts the lines, at half a
    // spacing either side of it, on pixel centres.
    return size % 2 == 0 && spacing % 2 == 0 ? spacing + 1 : spacing;
  }

  private static double[] lineDistances(int size, int extent, int margin) {
    double[] distances = new double[extent];
    for (int i = 0; i < extent; i++) {
      distances[i] = lineDistance(i - margin, size);
    }
    return distances;
  }

  /**
   * Distance of tile coordinate {@code i} to the nearest grid line; the lines lie at centre + (k + 1/2)
   * spacing on an even axis, centre + k spacing on an odd one.
   */
  private static double lineDistance(int i, int size) {
    int spacing = gridSpacing(size);
    // Twice the offset of the first line, to stay in integers: (size - 1) for the centre, plus
    // one spacing for an even size.
    int twiceOffset = size - 1 + (size % 2 == 0 ? spacing : 0);
    int t = Math.floorMod(i - twiceOffset / 2, spacing);
    return Math.min(t, spacing - t);
  }

  /**
   * How much a grid line covers each pixel of the warped image tile: the grid's distance picture
   * resampled under the tile's own warp, bilinearly (exact for a distance that changes linearly
   * across a line), then 1 on a line fading to 0 one pixel away.
   */
  private static float[] gridCoverage(Warp warp, Sample grid, TileShape shape) {
    TileShape whole = TileShape.uncropped(shape.imageHeight(), shape.imageWidth());
    int top = (grid.height() - shape.imageHeight()) / 2;
    int left = (grid.width() - shape.imageWidth()) / 2;
    float[] distance = warp.resample(grid, whole, top, left, Interpolation.BILINEAR).image();
    float[] coverage = new float[distance.length];
    for (int i = 0; i < distance.length; i++) {
      coverage[i] = Math.max(0, 1 - distance[i]);
    }
    return coverage;
  }

  /** The contact sheet: a row per tile of image, labels and weights panels; weights in viridis 0..{@code maxWeight}. */
  private static BufferedImage sheet(List<Row> rows, float maxWeight) {
    TileShape shape = rows.get(0).tile().shape();
    int panelHeight = shape.imageHeight();
    int panelWidth = shape.imageWidth();
    int width = 3 * panelWidth + 4 * GAP;
    int height = rows.size() * panelHeight + (rows.size() + 1) * GAP;
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(new Color(BACKGROUND_RGB));
      g.fillRect(0, 0, width, height);
      for (int r = 0; r < rows.size(); r++) {
        int top = GAP + r * (panelHeight + GAP);
        Row row = rows.get(r);
        drawImage(sheet, g, row, GAP, top);
        drawLabels(sheet, g, row.tile(), GAP + panelWidth + GAP, top);
        drawWeights(sheet, g, row.tile(), GAP + 2 * (panelWidth + GAP), top, maxWeight);
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  private static void drawImage(BufferedImage sheet, Graphics2D g, Row row, int left, int top) {
    Tile tile = row.tile();
    int h = tile.imageHeight();
    int w = tile.imageWidth();
    int channels = tile.channels();
    float[] image = tile.image();
    float[] gray = new float[h * w];
    for (int p = 0; p < gray.length; p++) {
      double sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += image[p * channels + c];
      }
      gray[p] = (float) (sum / channels);
    }
    float[] sorted = gray.clone();
    Arrays.sort(sorted);
    double low = percentile(sorted, LOW_PERCENTILE);
    double high = percentile(sorted, HIGH_PERCENTILE);
    double scale = high > low ? 255 / (high - low) : 0;
    float[] grid = row.grid();
    int[] line = new int[w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        double value = scale > 0 ? Math.max(0, Math.min(255, (gray[p] - low) * scale)) : 128;
        double a = GRID_OPACITY * grid[p];
        line[x] = rgb(blend(value, GRID_RGB >> 16, a), blend(value, (GRID_RGB >> 8) & 0xFF, a),
            blend(value, GRID_RGB & 0xFF, a));
      }
      sheet.setRGB(left, top + y, w, 1, line, 0, w);
    }
    TileShape shape = tile.shape();
    if (shape.labelTop() > 0 && shape.labelLeft() > 0) {
      // Just outside the crop, so that no pixel the labels cover is hidden.
      g.setColor(new Color(CROP_RGB));
      g.drawRect(left + shape.labelLeft() - 1, top + shape.labelTop() - 1, shape.labelWidth() + 1,
          shape.labelHeight() + 1);
    }
  }

  private static void drawLabels(BufferedImage sheet, Graphics2D g, Tile tile, int left, int top) {
    int[] labels = tile.labels();
    int width = tile.shape().labelWidth();
    int[] colours = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      colours[i] = labels[i] == ClassLabels.IGNORED ? ignoredRgb(i % width, i / width)
          : CLASS_RGB[Math.floorMod(labels[i], CLASS_RGB.length)];
    }
    drawCrop(sheet, g, tile.shape(), colours, left, top);
  }

  private static void drawWeights(BufferedImage sheet, Graphics2D g, Tile tile, int left, int top, float maxWeight) {
    float[] weights = tile.weights();
    int[] labels = tile.labels();
    int width = tile.shape().labelWidth();
    double scale = maxWeight > 0 ? 1.0 / maxWeight : 1;
    int[] colours = new int[weights.length];
    for (int i = 0; i < weights.length; i++) {
      colours[i] = labels[i] == ClassLabels.IGNORED ? ignoredRgb(i % width, i / width)
          : Pictures.viridis(weights[i] * scale);
    }
    drawCrop(sheet, g, tile.shape(), colours, left, top);
  }

  /**
   * The colour of an ignored pixel at ({@code x}, {@code y}) of a label crop: {@link #IGNORED_RGB}
   * grey where {@code (x + y) / 2} is odd, {@link #IGNORED_HATCH_RGB} white where it is even.
   */
  public static int ignoredRgb(int x, int y) {
    return ((x + y) / 2) % 2 == 0 ? IGNORED_HATCH_RGB : IGNORED_RGB;
  }

  /** A panel of the image tile's size, the crop's colours where the crop lies in the image tile. */
  private static void drawCrop(BufferedImage sheet, Graphics2D g, TileShape shape, int[] colours, int left, int top) {
    g.setColor(new Color(OUTSIDE_CROP_RGB));
    g.fillRect(left, top, shape.imageWidth(), shape.imageHeight());
    sheet.setRGB(left + shape.labelLeft(), top + shape.labelTop(), shape.labelWidth(), shape.labelHeight(), colours, 0,
        shape.labelWidth());
  }

  /** The value at {@code percent} of sorted values, nearest rank. */
  private static double percentile(float[] sorted, double percent) {
    int index = (int) Math.round(percent / 100 * (sorted.length - 1));
    return sorted[index];
  }

  private static int blend(double under, int over, double a) {
    return (int) Math.round(under * (1 - a) + over * a);
  }

  private static int rgb(int r, int g, int b) {
    return (r << 16) | (g << 8) | b;
  }
}
