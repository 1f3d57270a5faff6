package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.TreeSet;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.LabelFormat;

/**
 * Turns a label stack into cell instances, as {@link LabelDecoder} does an image, with
 * 6-connected components ({@link ConnectedComponents3d}) where the format asks for components:
 * {@code instance} keeps the values as cells, {@code color-components} splits each value into its
 * components, {@code binary} (0 and one foreground value) and {@code isbi-membrane} (255 interior)
 * make each foreground component a cell. Voxels whose value is the ignore label (when it is
 * {@code >= 0}) are not annotated ({@link InstanceVolume}) in every format.
 */
public final class VolumeLabelDecoder {
  private VolumeLabelDecoder() {}

  /**
   * Decodes z-major raw label values.
   *
   * @throws InvalidInputException for a negative value, or values the format does not allow
   */
  public static InstanceVolume decode(int[] raw, Size3 size, LabelFormat format, int ignoreLabel) {
    checkNotNull(raw, "raw");
    checkNotNull(format, "format");
    InstanceVolume.checkSize(raw.length, size);
    if (format == LabelFormat.INSTANCE) {
      return InstanceVolume.of(raw, size, ignoreLabel);
    }
    boolean[] ignored = new boolean[raw.length];
    int[] key = new int[raw.length];
    TreeSet<Integer> values = new TreeSet<>();
    for (int i = 0; i < raw.length; i++) {
      int v = raw[i];
      if (ignoreLabel >= 0 && v == ignoreLabel) {
        ignored[i] = true;
        continue;
      }
      if (v < 0) {
        throw InstanceVolume.negative(v, i, size, ignoreLabel);
      }
      if (v != 0) {
        values.add(v);
      }
      key[i] = v;
    }
    switch (format) {
      case BINARY -> {
        if (values.size() > 1) {
          throw new InvalidInputException("BINARY labels hold 0 (background) and one foreground value, but this"
              + " stack holds " + values.size() + " (" + first(values) + "); use the instance or color-components"
              + " label format");
        }
      }
      case ISBI_MEMBRANE -> {
        values.remove(255);
        if (!values.isEmpty()) {
          throw new InvalidInputException("ISBI_MEMBRANE labels hold 255 (cell) and 0 (membrane), but this stack"
              + " also holds " + first(values) + "; use the instance or binary label format");
        }
        for (int i = 0; i < key.length; i++) {
          key[i] = key[i] == 255 ? 1 : 0;
        }
      }
      default -> { }
    }
    int[] labels = new int[raw.length];
    int count = ConnectedComponents3d.label(key, size, labels);
    return InstanceVolume.trusted(size, count, labels, ignored);
  }

  private static String first(TreeSet<Integer> values) {
    return values.stream().limit(10).map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
        + (values.size() > 10 ? ", ..." : "");
  }
}
