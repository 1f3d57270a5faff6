package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.BitSet;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.recipe.LabelFormat;

/**
 * Turns a label image, as read from an 8/16-bit PNG or TIFF, into cell instances according to
 * the dataset's {@link LabelFormat}. Connectivity is always 4 (edge neighbours), so two cells
 * that meet only at a corner stay apart.
 *
 * <ul>
 *   <li>{@link LabelFormat#INSTANCE}: the values are the cells (0 background), renumbered
 *       compactly in ascending order; a value is one cell even where its pixels are not connected.
 *   <li>{@link LabelFormat#COLOR_COMPONENTS}: each 4-connected component of each non-zero value
 *       taken separately is a cell, so touching cells with different values stay apart and
 *       separate regions with the same value are different cells (BBBC039 masks).
 *   <li>{@link LabelFormat#BINARY}: 0 and <em>one</em> foreground value (1, 255, 65535...); each
 *       4-connected component of the foreground is a cell. An image with several foreground values
 *       is refused: treating them all as foreground would silently merge touching cells that the
 *       values keep apart, which is exactly what the weight map is meant to prevent.
 *   <li>{@link LabelFormat#ISBI_MEMBRANE}: 255 cell interior, 0 membrane; each 4-connected
 *       component of 255 is a cell. Any other value is refused.
 * </ul>
 *
 * <p>Cells from components are numbered in raster order of their first pixel. Negative values are
 * refused in every format (a 16-bit image read as signed {@code short}s).
 */
public final class LabelDecoder {
  private static final int LISTED_VALUES = 10;

  private LabelDecoder() {}

  /**
   * Decodes a row-major label image of {@code width * height} values.
   *
   * @throws IllegalArgumentException when the size does not match {@code raw} (a bug in the caller)
   * @throws InvalidInputException when the image holds a value the format does not allow; the
   *     message says what was found and which format would fit
   */
  public static InstanceLabels decode(int[] raw, int width, int height, LabelFormat format) {
    checkNotNull(raw, "raw");
    checkNotNull(format, "format");
    InstanceLabels.checkSize(raw.length, width, height);
    checkNonNegative(raw, width);
    switch (format) {
      case INSTANCE:
        return InstanceLabels.of(raw, width, height);
      case COLOR_COMPONENTS:
        return components(raw.clone(), width, height);
      case BINARY:
        checkBinary(raw);
        return components(foreground(raw, v -> v != 0), width, height);
      case ISBI_MEMBRANE:
        checkIsbi(raw, width);
        return components(foreground(raw, v -> v == 255), width, height);
      default:
        throw new IllegalArgumentException("unsupported label format " + format);
    }
  }

  private static void checkNonNegative(int[] raw, int width) {
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] < 0) {
        throw new InvalidInputException("label value " + raw[i] + " at " + at(i, width)
            + " is negative, but label images hold unsigned values (0..255 for 8 bit, 0..65535 for"
            + " 16 bit); a 16-bit image read as signed shorts shows values above 32767 as negative:"
            + " read each pixel as (value & 0xFFFF)");
      }
    }
  }

  private static void checkBinary(int[] raw) {
    int foreground = 0;
    for (int v : raw) {
      if (v != 0) {
        if (foreground == 0) {
          foreground = v;
        } else if (v != foreground) {
          TreeSet<Integer> values = distinctNonZero(raw);
          throw new InvalidInputException("BINARY labels hold 0 (background) and one foreground"
              + " value, but this image has " + values.size() + " foreground values: "
              + list(values) + ". Taking them all as foreground would merge touching cells that the"
              + " values keep apart. If touching cells have different values and each cell is a"
              + " connected region of one value (a colour-coded mask such as BBBC039), use "
              + "COLOR_COMPONENTS; if each value is one cell, use INSTANCE");
        }
      }
    }
  }

  private static void checkIsbi(int[] raw, int width) {
    for (int i = 0; i < raw.length; i++) {
      int v = raw[i];
      if (v != 0 && v != 255) {
        TreeSet<Integer> values = distinctNonZero(raw);
        values.add(0);
        StringBuilder message = new StringBuilder("ISBI_MEMBRANE labels hold only 0 (membrane) and 255"
            + " (cell interior), but this image has the values " + list(values) + " (" + v
            + " first at " + at(i, width) + ")");
        values.remove(0);
        if (values.size() == 1) {
          message.append(". For a mask with one foreground value use BINARY");
        } else if (values.contains(255) && values.first() < 255) {
          message.append(". Values between 0 and 255 suggest a label image that was resampled or"
              + " saved lossily (JPEG); store labels losslessly and scale them with nearest"
              + " neighbour");
        } else {
          message.append(". If each value is one cell use INSTANCE; if touching cells have"
              + " different values (a colour-coded mask) use COLOR_COMPONENTS");
        }
        throw new InvalidInputException(message.toString());
      }
    }
  }

  private static int[] foreground(int[] raw, IntPredicate isForeground) {
    int[] key = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      key[i] = isForeground.test(raw[i]) ? 1 : 0;
    }
    return key;
  }

  /** The 4-connected components of equal non-zero values of {@code key}, numbered in raster order. */
  private static InstanceLabels components(int[] key, int width, int height) {
    int[] out = new int[key.length];
    int cells = ConnectedComponents.label(key, width, height, out);
    return InstanceLabels.trusted(out, width, height, cells);
  }

  private static TreeSet<Integer> distinctNonZero(int[] raw) {
    BitSet small = new BitSet();
    TreeSet<Integer> large = new TreeSet<>();
    for (int v : raw) {
      if (v > 0 && v <= 0xFFFF) {
        small.set(v);
      } else if (v != 0) {
        large.add(v);
      }
    }
    small.stream().forEach(large::add);
    return large;
  }

  private static String list(TreeSet<Integer> values) {
    String shown = values.stream().limit(LISTED_VALUES).map(String::valueOf).collect(Collectors.joining(", "));
    return values.size() <= LISTED_VALUES ? shown : shown + String.format(Locale.ROOT, ", ... (%d in all)", values.size());
  }

  private static String at(int index, int width) {
    return "(x=" + index % width + ", y=" + index / width + ")";
  }
}
