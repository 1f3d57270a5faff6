package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.Color;
import java.awt.Image;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.util.List;
import java.util.Vector;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.Normalizer;
import org.unet4j.recipes.data.PageSource;

/**
 * The picture people check a segmentation with: the image in gray (its channels averaged, the 1st
 * to 99.8th percentile stretched to black..white) and the contour of every object in its own
 * colour. For a net of 3 or more classes every pixel of class {@code k >= 1} is also tinted, half
 * gray and half {@link #CLASS_COLOURS}'s colour of its class.
 */
public final class Overlay {
  /** The golden ratio: successive labels get hues far apart. */
  private static final double GOLDEN = 0.618033988749895;

  /**
   * The tint of class k (k = 1, 2, ...: entry k - 1, repeating after 8), {@code 0xRRGGBB}: red,
   * green, blue, yellow, magenta, cyan, orange, purple. Class 0, the background, is not tinted.
   */
  public static final List<Integer> CLASS_COLOURS = List.of(0xE6194B, 0x3CB44B, 0x4363D8, 0xFFE119, 0xF032E6,
      0x42D4F4, 0xF58231, 0x911EB4);

  private Overlay() {}

  /** The tint of class {@code k >= 1} ({@link #CLASS_COLOURS}). */
  public static int classColour(int k) {
    checkArgument(k >= 1, "class 0 (background) has no tint, got class %s", k);
    return CLASS_COLOURS.get((k - 1) % CLASS_COLOURS.size());
  }

  /**
   * The overlay of {@code labels} on {@code image} with every pixel of class {@code k >= 1} in
   * {@code classes} (row-major, the image's size) tinted half with {@link #classColour}: the
   * gray value g and tint t give {@code (g + t + 1) / 2} per colour channel. Contours are drawn
   * over the tint as in {@link #of(org.unet4j.recipes.data.Image, InstanceLabels)}.
   */
  public static BufferedImage of(org.unet4j.recipes.data.Image image, InstanceLabels labels, int[] classes) {
    checkNotNull(classes, "classes");
    checkArgument(classes.length == (long) image.width() * image.height(), "%s classes for a %sx%s image",
        classes.length, image.width(), image.height());
    return draw(image, labels, classes);
  }

  /** Half {@code rgb}, half {@code tint}, each channel rounded half up. */
  private static int tint(int rgb, int tint) {
    int out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int mixed = (((rgb >> shift) & 0xFF) + ((tint >> shift) & 0xFF) + 1) / 2;
      out |= mixed << shift;
    }
    return out;
  }

  /**
   * The overlay of {@code labels} on {@code image} (same size). A contour pixel is an object pixel
   * with a 4-neighbour inside the image that belongs to another object or the background.
   */
  public static BufferedImage of(org.unet4j.recipes.data.Image image, InstanceLabels labels) {
    return draw(image, labels, null);
  }

  private static BufferedImage draw(org.unet4j.recipes.data.Image image, InstanceLabels labels,
      int @Nullable [] classes) {
    checkNotNull(image, "image");
    checkNotNull(labels, "labels");
    int width = image.width();
    int height = image.height();
    checkArgument(labels.width() == width && labels.height() == height,
        "the labels are %sx%s but the image is %sx%s", labels.width(), labels.height(), width, height);
    float[] gray = Normalizer.apply(image, NormalizationSpec.percentile());
    int channels = image.channels();
    int[] label = labels.toArray();
    BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = y * width + x;
        int l = label[p];
        if (l != 0 && ((x > 0 && label[p - 1] != l) || (x < width - 1 && label[p + 1] != l)
            || (y > 0 && label[p - width] != l) || (y < height - 1 && label[p + width] != l))) {
          row[x] = colour(l);
        } else if (classes != null && classes[p] != 0) {
          row[x] = tint(gray(gray, p * channels, channels), classColour(classes[p]));
        } else {
          row[x] = gray(gray, p * channels, channels);
        }
      }
      picture.setRGB(0, y, width, 1, row, 0, width);
    }
    return picture;
  }

  /** The overlay's gray value of one pixel: its normalised channels averaged, 0..255. */
  private static int gray(float[] normalised, int from, int channels) {
    double sum = 0;
    for (int c = 0; c < channels; c++) {
      sum += normalised[from + c];
    }
    int v = (int) Math.round(255 * Math.max(0, Math.min(1, sum / channels)));
    return v << 16 | v << 8 | v;
  }

  /** Whether the pixel at {@code x} of {@code row} is on its object's contour. */
  private static boolean contour(int[] row, int @Nullable [] above, int @Nullable [] below, int x, int width) {
    int l = row[x];
    return l != 0 && ((x > 0 && row[x - 1] != l) || (x < width - 1 && row[x + 1] != l)
        || (above != null && above[x] != l) || (below != null && below[x] != l));
  }

  /**
   * The overlay of a page that is not in memory, as a picture whose rows are computed when the PNG
   * writer asks for them (the JDK's writer asks row by row from the top): the same pixels as
   * {@link #of}, holding three rows of labels and a band of the image. {@code labels} opens a pass
   * over the label rows from the top; {@code stats} are the page's percentile statistics (1 to
   * 99.8). Asking for rows above the last one given restarts the passes.
   */
  static RenderedImage rows(PageSource page, NormalizationStats stats, Supplier<LabelRowReader> labels) {
    checkNotNull(page, "page");
    checkNotNull(stats, "stats");
    checkNotNull(labels, "labels");
    return new OverlayRows(page, stats, labels);
  }

  /** Rows of labels from the top, {@link #next} filling one row each call. */
  interface LabelRowReader extends AutoCloseable {
    void next(int[] labels);

    @Override
    void close();
  }

  /** The overlay of a page, computed a row at a time. */
  private static final class OverlayRows implements RenderedImage {
    /** Image rows read at a time. */
    private static final int IMAGE_BAND = 64;

    private final PageSource page;
    private final NormalizationStats stats;
    private final Supplier<LabelRowReader> labels;
    private final int width;
    private final int height;
    private final ColorModel colours = new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF);
    private final SampleModel samples;
    private @Nullable LabelRowReader reader;
    /** Label rows r for r in [loaded - 3, loaded), row r at r % 3. */
    private final int[][] ring;
    private int loaded;
    private float[] band = new float[0];
    private int bandFirst;
    private int bandRows;

    OverlayRows(PageSource page, NormalizationStats stats, Supplier<LabelRowReader> labels) {
      this.page = page;
      this.stats = stats;
      this.labels = labels;
      this.width = page.width();
      this.height = page.height();
      this.samples = colours.createCompatibleSampleModel(width, 1);
      this.ring = new int[3][width];
    }

    /** The RGB pixels of row {@code y}: its labels and those of the rows above and below. */
    private int[] pixels(int y) {
      if (reader == null || y - 1 < loaded - 3 || (y == 0 && loaded > 2)) {
        if (reader != null) {
          reader.close();
        }
        reader = labels.get();
        loaded = 0;
      }
      LabelRowReader in = reader;
      int need = Math.min(height, y + 2);
      while (loaded < need) {
        in.next(ring[loaded % 3]);
        loaded++;
      }
      int[] above = y > 0 ? ring[(y - 1) % 3] : null;
      int[] row = ring[y % 3];
      int[] below = y + 1 < height ? ring[(y + 1) % 3] : null;
      if (y < bandFirst || y >= bandFirst + bandRows) {
        int to = Math.min(height, y + IMAGE_BAND);
        band = stats.apply(page.rows(y, to).pixels());
        bandFirst = y;
        bandRows = to - y;
      }
      int channels = page.channels();
      int[] rgb = new int[width];
      int at = (y - bandFirst) * width * channels;
      for (int x = 0; x < width; x++, at += channels) {
        rgb[x] = contour(row, above, below, x, width) ? colour(row[x]) : gray(band, at, channels);
      }
      return rgb;
    }

    @Override
    public Raster getData(Rectangle rect) {
      WritableRaster out = Raster.createWritableRaster(samples.createCompatibleSampleModel(rect.width, rect.height),
          new Point(rect.x, rect.y));
      for (int y = rect.y; y < rect.y + rect.height; y++) {
        int[] rgb = pixels(y);
        out.setDataElements(rect.x, y, rect.width, 1, java.util.Arrays.copyOfRange(rgb, rect.x, rect.x + rect.width));
      }
      if (rect.y + rect.height == height && reader != null) {
        reader.close();
        reader = null;
      }
      return out;
    }

    @Override
    public Raster getData() {
      return getData(new Rectangle(0, 0, width, height));
    }

    @Override
    public Raster getTile(int tileX, int tileY) {
      return getData(new Rectangle(0, tileY, width, 1));
    }

    @Override
    public WritableRaster copyData(@Nullable WritableRaster raster) {
      WritableRaster out = raster != null ? raster : colours.createCompatibleWritableRaster(width, height);
      Rectangle bounds = out.getBounds();
      out.setRect(getData(bounds));
      return out;
    }

    @Override
    public @Nullable Vector<RenderedImage> getSources() {
      return null;
    }

    @Override
    public Object getProperty(String name) {
      return Image.UndefinedProperty;
    }

    @Override
    public String @Nullable [] getPropertyNames() {
      return null;
    }

    @Override
    public ColorModel getColorModel() {
      return colours;
    }

    @Override
    public SampleModel getSampleModel() {
      return samples;
    }

    @Override
    public int getWidth() {
      return width;
    }

    @Override
    public int getHeight() {
      return height;
    }

    @Override
    public int getMinX() {
      return 0;
    }

    @Override
    public int getMinY() {
      return 0;
    }

    @Override
    public int getNumXTiles() {
      return 1;
    }

    @Override
    public int getNumYTiles() {
      return height;
    }

    @Override
    public int getMinTileX() {
      return 0;
    }

    @Override
    public int getMinTileY() {
      return 0;
    }

    @Override
    public int getTileWidth() {
      return width;
    }

    @Override
    public int getTileHeight() {
      return 1;
    }

    @Override
    public int getTileGridXOffset() {
      return 0;
    }

    @Override
    public int getTileGridYOffset() {
      return 0;
    }
  }

  /** A saturated colour for label {@code l} ({@code 0xRRGGBB}). */
  static int colour(int l) {
    float hue = (float) ((l * GOLDEN) % 1.0);
    return Color.HSBtoRGB(hue, 0.85f, 1f) & 0xFFFFFF;
  }
}
