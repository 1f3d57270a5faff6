package org.unet4j.recipes.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.recipe.CombinedLoss;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.LossSpec;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.WeightedCrossEntropyLoss;
import org.unet4j.labels.ClassFrequencies;
import org.unet4j.labels.ClassLabels;
import org.unet4j.labels.LabelDecoder;
import org.unet4j.labels.WeightMap;
import org.unet4j.labels.WeightedTarget;

/**
 * The paper's loss weight map (Sec. 3, eq. 2) of one label image exactly as training computes it,
 * {@code w(x) = w_c(x) + w0 exp(-(d1 + d2)^2 / (2 sigma^2))}, with the separation borders between
 * touching cells (Fig. 3c), to look at before training: the weights as a 32-bit float
 * {@link #weights() image} and a false-colour {@link #picture() picture}. Loads no TensorFlow.
 */
public final class WeightMapPicture {
  /** Separation borders in the picture: red, a colour viridis never takes. */
  public static final int BORDER_RGB = 0xFF0000;
  /** Ignored pixels ({@code data.ignoreLabel}) in the picture: grey, which viridis never takes either. */
  public static final int IGNORED_RGB = 0x808080;

  private final WeightedCrossEntropyLoss loss;
  private final int cells;
  private final Image weights;
  private final boolean[] borders;
  private final boolean[] ignored;
  private final double min;
  private final double mean;
  private final double max;

  private WeightMapPicture(WeightedCrossEntropyLoss loss, int cells, Image weights, boolean[] borders,
      boolean[] ignored) {
    this.loss = loss;
    this.cells = cells;
    this.weights = weights;
    this.borders = borders;
    this.ignored = ignored;
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (float w : weights.pixels()) {
      low = Math.min(low, w);
      high = Math.max(high, w);
      sum += w;
    }
    this.min = low;
    this.max = high;
    this.mean = sum / weights.pixels().length;
  }

  /** The weight map of the first page of a label file, decoded as the recipe's data says. */
  public static WeightMapPicture read(Path labels, Recipe recipe) {
    return of(ImageIo.read(labels), labels.toString(), recipe);
  }

  /**
   * The weight map of {@code labels} (channel 0 of it, decoded with the recipe's
   * {@code data.labelFormat}) under the recipe's weighted cross-entropy loss (alone or in a
   * combined loss); {@code source} names the labels in error messages.
   *
   * @throws DataException if the labels do not decode in the recipe's format, or the recipe's
   *     loss has no weight map
   */
  public static WeightMapPicture of(Image labels, String source, Recipe recipe) {
    WeightedCrossEntropyLoss loss = WeightedCrossEntropyLoss.findIn(recipe.loss()).orElseThrow(() ->
        new DataException("recipe " + recipe.name() + " trains with " + describe(recipe.loss()) + ", which has no"
            + " weight map; the weight map belongs to the weighted-cross-entropy loss (alone or in a combined loss)"));
    ClassLabels classLabels;
    try {
      classLabels = Dataset.classLabels(labels, recipe);
    } catch (InvalidInputException e) {
      throw new DataException(source + ": " + e.getMessage() + " (data.labelFormat is "
          + JsonNames.of(recipe.data().labelFormat()) + " in recipe " + recipe.name() + ")", e);
    }
    WeightedTarget target;
    try {
      // One image stands for the training set when the recipe balances the classes over it; a strided
      // net's class balance counts its downsampled targets, as training's does (Dataset.sample).
      ClassFrequencies counts = Dataset.targetFrequencies(recipe, classLabels);
      target = WeightMap.compute(classLabels, counts.resolvePerImage(counts.resolve(loss)));
    } catch (InvalidInputException e) {
      throw new DataException("recipe " + recipe.name() + ": " + e.getMessage(), e);
    }
    // A separation border pixel was a cell in the raw labels (of a two-class instance format) but
    // became background because it touches another cell.
    LabelFormat format = recipe.data().labelFormat();
    boolean separates = format.givesInstances() && format != LabelFormat.THREE_CLASS;
    int[] raw = labels.channelAsInts(0);
    byte[] classes = target.classLabels();
    boolean[] borders = new boolean[raw.length];
    boolean[] ignored = new boolean[raw.length];
    for (int i = 0; i < raw.length; i++) {
      ignored[i] = classes[i] == ClassLabels.IGNORED;
      borders[i] = separates && raw[i] != 0 && classes[i] == 0;
    }
    return new WeightMapPicture(loss, cells(raw, labels, format, classLabels, ignored), Image.gray(target.width(),
        target.height(), PixelType.FLOAT32, target.weights()), borders, ignored);
  }

  /**
   * The cells as annotated: for the instance formats those of the raw labels (the decoded ones lose
   * cells that separation borders swallow whole), ignored pixels left out; for class maps the
   * instances of the border term.
   */
  private static int cells(int[] raw, Image labels, LabelFormat format, ClassLabels decoded, boolean[] ignored) {
    if (!format.givesInstances()) {
      return decoded.instances().cellCount();
    }
    int[] annotated = raw.clone();
    for (int i = 0; i < annotated.length; i++) {
      if (ignored[i]) {
        annotated[i] = 0;
      }
    }
    return LabelDecoder.decode(annotated, labels.width(), labels.height(), format).cellCount();
  }

  private static String describe(LossSpec loss) {
    if (loss instanceof CombinedLoss combined) {
      return "a combined loss of " + combined.terms().stream().map(t -> describe(t.loss()))
          .collect(Collectors.joining(" + "));
    }
    return "the " + JsonNames.of(loss.getClass()) + " loss";
  }

  /** The loss whose {@code w0}, {@code sigma} and class balance the weights follow. */
  public WeightedCrossEntropyLoss loss() {
    return loss;
  }

  /** The cells (instances) in the labels. */
  public int cells() {
    return cells;
  }

  public int width() {
    return weights.width();
  }

  public int height() {
    return weights.height();
  }

  /** The weights, one channel of 32-bit floats (write it with {@link ImageIo#writeTiff}). */
  public Image weights() {
    return new Image(weights.width(), weights.height(), 1, PixelType.FLOAT32, weights.pixels().clone());
  }

  /** Whether each pixel (row by row) is on a separation border between touching cells. */
  public boolean[] borders() {
    return borders.clone();
  }

  /** Whether each pixel (row by row) is ignored: {@code data.ignoreLabel}, weight 0. */
  public boolean[] ignored() {
    return ignored.clone();
  }

  public int borderPixels() {
    int n = 0;
    for (boolean b : borders) {
      n += b ? 1 : 0;
    }
    return n;
  }

  public double min() {
    return min;
  }

  public double mean() {
    return mean;
  }

  public double max() {
    return max;
  }

  /**
   * The weights in viridis from 0 (dark purple) to the largest weight (yellow), separation borders
   * in {@link #BORDER_RGB red}, ignored pixels in {@link #IGNORED_RGB grey} (write it with
   * {@link ImageIo#writePng(Path, BufferedImage)}).
   */
  public BufferedImage picture() {
    BufferedImage picture = Pictures.falseColour(weights.pixels(), width(), height(), 0, max > 0 ? max : 1);
    Pictures.paint(picture, borders, BORDER_RGB);
    Pictures.paint(picture, ignored, IGNORED_RGB);
    return picture;
  }
}
