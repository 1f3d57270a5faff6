package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.BitSet;
import org.jspecify.annotations.Nullable;

/**
 * The training target of one label image for K classes, before weighting: the class of every
 * pixel (0..K-1, or {@link #IGNORED}), the cell instances the border term of eq. 2 measures
 * distances to, and which classes that term applies to. Immutable; row-major.
 *
 * <p>{@link LabelDecoder#classes} makes them from every label format; {@link #ofCells} from instances
 * (two classes, with separation borders between touching cells, as the paper's targets).
 */
public final class ClassLabels {
  /** The class of a pixel that no loss, class count or score sees (the data spec's ignore label). */
  public static final int IGNORED = -1;

  /** At most this many classes: the targets store a class in a byte. */
  public static final int MAX_CLASSES = 127;

  private final int classCount;
  private final int[] classes;
  private final InstanceLabels instances;
  private final BitSet borderTermClasses;

  private ClassLabels(int classCount, int[] classes, InstanceLabels instances, BitSet borderTermClasses) {
    this.classCount = classCount;
    this.classes = classes;
    this.instances = instances;
    this.borderTermClasses = borderTermClasses;
  }

  /**
   * Class labels from row-major {@code classes} (each 0..classCount-1 or {@link #IGNORED}; copied),
   * the {@code instances} the border term measures distances to (same size; 0 on ignored pixels), and
   * the classes whose pixels get that term (for a class map, background alone).
   *
   * @throws IllegalArgumentException for sizes that disagree or a class out of range
   */
  public static ClassLabels of(int classCount, int[] classes, InstanceLabels instances, int... borderTermClasses) {
    checkNotNull(classes, "classes");
    checkNotNull(instances, "instances");
    checkArgument(classCount >= 2 && classCount <= MAX_CLASSES, "classCount must be 2..%s, got %s", MAX_CLASSES,
        classCount);
    InstanceLabels.checkSize(classes.length, instances.width(), instances.height());
    int[] cells = instances.array();
    for (int i = 0; i < classes.length; i++) {
      int c = classes[i];
      checkArgument(c == IGNORED || (c >= 0 && c < classCount),
          "class %s at pixel %s is outside 0..%s (or %s, ignored)", c, i, classCount - 1, IGNORED);
      checkArgument(c != IGNORED || cells[i] == 0, "pixel %s is ignored but belongs to cell %s", i, cells[i]);
    }
    BitSet term = new BitSet();
    for (int c : borderTermClasses) {
      checkElementIndex(c, classCount, "border term class");
      term.set(c);
    }
    return new ClassLabels(classCount, classes.clone(), instances, term);
  }

  /**
   * The paper's two-class target of {@code instances}: separation borders between touching cells
   * ({@link SeparationBorders}), class 1 on the remaining cell pixels and 0 elsewhere, the border
   * term on background; no pixel ignored.
   */
  public static ClassLabels ofCells(InstanceLabels instances) {
    return ofCells(instances, null);
  }

  /** As {@link #ofCells(InstanceLabels)}, with the pixels where {@code ignored} is true {@link #IGNORED}. */
  static ClassLabels ofCells(InstanceLabels instances, boolean @Nullable [] ignored) {
    checkNotNull(instances, "instances");
    InstanceLabels cells = SeparationBorders.separate(instances);
    int[] labels = cells.array();
    int[] classes = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      classes[i] = ignored != null && ignored[i] ? IGNORED : labels[i] != 0 ? 1 : 0;
    }
    return trusted(2, classes, cells, 0);
  }

  /** Wraps arrays that are already valid and nobody else holds. */
  static ClassLabels trusted(int classCount, int[] classes, InstanceLabels instances, int... borderTermClasses) {
    BitSet term = new BitSet();
    for (int c : borderTermClasses) {
      term.set(c);
    }
    return new ClassLabels(classCount, classes, instances, term);
  }

  public int width() {
    return instances.width();
  }

  public int height() {
    return instances.height();
  }

  /** K, the number of classes: the classes are 0..K-1. */
  public int classCount() {
    return classCount;
  }

  /** The class of pixel (x, y): 0..K-1, or {@link #IGNORED}. */
  public int classLabel(int x, int y) {
    checkElementIndex(x, width(), "x");
    checkElementIndex(y, height(), "y");
    return classes[y * width() + x];
  }

  /** A row-major copy of the classes. */
  public int[] toArray() {
    return classes.clone();
  }

  /** The cells the border term measures distances to (0: no cell). */
  public InstanceLabels instances() {
    return instances;
  }

  /** Whether the pixels of class {@code c} get the border term of eq. 2. */
  public boolean getsBorderTerm(int c) {
    return c >= 0 && borderTermClasses.get(c);
  }

  /** The number of pixels of each class 0..K-1; ignored pixels are not counted. */
  public long[] counts() {
    long[] counts = new long[classCount];
    for (int c : classes) {
      if (c != IGNORED) {
        counts[c]++;
      }
    }
    return counts;
  }

  /** The row-major classes themselves, for this package's algorithms; never modify. */
  int[] array() {
    return classes;
  }

  /** The border-term classes as a set of bits, for the cache key. */
  BitSet borderTermClasses() {
    return (BitSet) borderTermClasses.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ClassLabels other
        && classCount == other.classCount
        && Arrays.equals(classes, other.classes)
        && instances.equals(other.instances)
        && borderTermClasses.equals(other.borderTermClasses);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(classes) + instances.hashCode()) + classCount;
  }

  @Override
  public String toString() {
    return "ClassLabels[" + width() + "x" + height() + ", " + classCount + " classes, " + instances.cellCount()
        + " cells]";
  }
}
