package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.labels.ConnectedComponents;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.labels.LabelDecoder;
import org.unet4j.recipes.data.Image;

/**
 * The ground truth of one image as cell instances: 0 is membrane (background), 1..n the cells,
 * every number used. The ISBI metrics use only the cell mask (instance &gt; 0) and its own
 * 4-connected components; the object scores use the instances. Immutable.
 */
public final class GroundTruth {
  private final int width;
  private final int height;
  private final int instanceCount;
  private final int[] instances;

  private GroundTruth(int width, int height, int instanceCount, int[] instances) {
    this.width = width;
    this.height = height;
    this.instanceCount = instanceCount;
    this.instances = instances;
  }

  /**
   * The challenge's convention (the default without a recipe): cell = value &gt; 0 in channel 0
   * (ISBI: 255 cell interior, 0 membrane; a 0/1 mask works as well), each 4-connected component of
   * cells one instance.
   */
  public static GroundTruth cellsAboveZero(Image image) {
    checkNotNull(image, "image");
    float[] values = image.channel(0);
    boolean[] cells = new boolean[values.length];
    for (int i = 0; i < values.length; i++) {
      cells[i] = values[i] > 0;
    }
    int[] labels = new int[values.length];
    int count = ConnectedComponents.label(cells, image.width(), image.height(), labels);
    return new GroundTruth(image.width(), image.height(), count, labels);
  }

  /**
   * Channel 0 decoded with a recipe's label format ({@link LabelDecoder}).
   *
   * @throws org.unet4j.dsl.InvalidInputException when the image holds values the format does not allow
   */
  public static GroundTruth decode(Image image, LabelFormat format) {
    checkNotNull(image, "image");
    checkNotNull(format, "format");
    return of(LabelDecoder.decode(image.channelAsInts(0), image.width(), image.height(), format));
  }

  /** Instances as they are. */
  public static GroundTruth of(InstanceLabels labels) {
    checkNotNull(labels, "labels");
    return new GroundTruth(labels.width(), labels.height(), labels.cellCount(), labels.toArray());
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The number of cell instances n; the labels are 1..n. */
  public int instanceCount() {
    return instanceCount;
  }

  /** The cell mask (instance &gt; 0), row-major. */
  public boolean[] cells() {
    boolean[] cells = new boolean[instances.length];
    for (int i = 0; i < instances.length; i++) {
      cells[i] = instances[i] != 0;
    }
    return cells;
  }

  /** A row-major copy of the instance labels. */
  public int[] instances() {
    return instances.clone();
  }

  /** The labels themselves, for this package's metrics; never modified. */
  int[] instanceArray() {
    return instances;
  }

  @Override
  public String toString() {
    return "GroundTruth[" + width + "x" + height + ", " + instanceCount + " cells]";
  }
}
