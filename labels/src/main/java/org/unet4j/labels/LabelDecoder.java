package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.recipe.DataSpec;
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
 *       separate regions with the same value are different cells (BBBC039 masks). The same for
 *       {@link LabelFormat#THREE_CLASS} (whose classes come from these cells) and
 *       {@link LabelFormat#INDEX} (the components of each foreground class);
 *       {@link LabelFormat#CLASS_COLORS} is RGB and is refused here: read it with {@link #classes}.
 *   <li>{@link LabelFormat#BINARY}: 0 and <em>one</em> foreground value (1, 255, 65535...); each
 *       4-connected component of the foreground is a cell. An image with several foreground values
 *       is refused: treating them all as foreground would silently merge touching cells that the
 *       values keep apart, which is exactly what the weight map is meant to prevent.
 *   <li>{@link LabelFormat#ISBI_MEMBRANE}: 255 cell interior, 0 membrane; each 4-connected
 *       component of 255 is a cell. Any other value is refused.
 * </ul>
 *
 * <p>{@link #classes} reads every format, the class maps too, into K-class targets:
 * <ul>
 *   <li>{@link LabelFormat#INDEX}: the value is the class, 0..K-1; the border term's instances are
 *       the 4-connected components of each foreground class.
 *   <li>{@link LabelFormat#CLASS_COLORS}: RGB, each class the colour {@code data.classColors} lists for
 *       it; instances as for index labels.
 *   <li>{@link LabelFormat#THREE_CLASS}: the cells of {@link LabelFormat#COLOR_COMPONENTS}; a cell
 *       pixel is <em>boundary</em> (class 2) when one of its 4 neighbours inside the image belongs to
 *       another cell, to the background or is ignored, and <em>interior</em> (class 1) otherwise, so
 *       every cell keeps a one-pixel boundary ring and touching cells meet boundary to boundary;
 *       pixels beyond the image edge do not count (a cell cut by the edge has no boundary there).
 *   <li>the instance formats: the paper's two classes with separation borders
 *       ({@link ClassLabels#ofCells}).
 * </ul>
 * With an ignore label, pixels of that raw value (for class colours, the grey r = g = b = value) are
 * {@link ClassLabels#IGNORED}; for the instance formats they are first read as background, so a
 * partly annotated frame's unannotated region is neither a cell nor background to the loss.
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
      case INDEX:
      case THREE_CLASS:
        return components(raw.clone(), width, height);
      case CLASS_COLORS:
        throw new InvalidInputException("class-colors labels are RGB images whose colours are classes, not"
            + " one channel of cells; read them as classes with the recipe's data.classColors");
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

  /**
   * Decodes a label image, given as its channels ({@code channels[c]} row-major, one for grey labels,
   * three for RGB), into K-class targets in the data spec's label format, with its ignore label and class
   * colours.
   *
   * @param modelClasses the model's classes: K of index labels (at least 2)
   * @throws IllegalArgumentException when the sizes do not match (a bug in the caller)
   * @throws InvalidInputException when the image holds a value or colour the format does not allow;
   *     the message names the value, where it is and what would be valid
   */
  public static ClassLabels classes(int[][] channels, int width, int height, DataSpec data, int modelClasses) {
    checkNotNull(channels, "channels");
    checkNotNull(data, "data");
    checkArgument(channels.length >= 1, "a label image has at least one channel");
    for (int[] channel : channels) {
      InstanceLabels.checkSize(channel.length, width, height);
      checkNonNegative(channel, width);
    }
    int ignore = data.ignoreLabel();
    LabelFormat format = data.labelFormat();
    if (format == LabelFormat.INDEX) {
      return index(channels[0], width, height, Math.max(2, modelClasses), ignore);
    }
    if (format == LabelFormat.CLASS_COLORS) {
      return colors(channels, width, height, data.classColors(), ignore);
    }
    boolean[] ignored = new boolean[width * height];
    int[] raw = channels[0].clone();
    if (data.ignoresLabel()) {
      for (int i = 0; i < raw.length; i++) {
        if (raw[i] == ignore) {
          ignored[i] = true;
          raw[i] = 0;
        }
      }
    }
    if (format == LabelFormat.THREE_CLASS) {
      return threeClass(decode(raw, width, height, LabelFormat.COLOR_COMPONENTS), ignored);
    }
    return ClassLabels.ofCells(decode(raw, width, height, format), ignored);
  }

  private static ClassLabels index(int[] raw, int width, int height, int classes, int ignore) {
    int[] out = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      int v = raw[i];
      if (v == ignore) {
        out[i] = ClassLabels.IGNORED;
      } else if (v >= classes) {
        throw new InvalidInputException("label value " + v + " at " + at(i, width) + " is not a class: index"
            + " labels of a model of " + classes + " classes hold 0.." + (classes - 1)
            + (ignore >= 0 ? " and the ignore label " + ignore : " (and no ignore label is set)")
            + "; set model.classes to the number of classes the labels use, or data.ignoreLabel for"
            + " unannotated pixels");
      } else {
        out[i] = v;
      }
    }
    return classMap(out, width, height, classes);
  }

  private static ClassLabels colors(int[][] channels, int width, int height, List<List<Integer>> table, int ignore) {
    if (channels.length < 3) {
      throw new InvalidInputException("class-colors labels are RGB images, but this one has "
          + channels.length + " channel(s); use index labels for grey class maps");
    }
    Map<Long, Integer> classOf = new HashMap<>();
    for (int c = 0; c < table.size(); c++) {
      List<Integer> rgb = table.get(c);
      classOf.put(pack(rgb.get(0), rgb.get(1), rgb.get(2)), c);
    }
    int[] out = new int[width * height];
    for (int i = 0; i < out.length; i++) {
      int r = channels[0][i];
      int g = channels[1][i];
      int b = channels[2][i];
      Integer c = classOf.get(pack(r, g, b));
      if (c != null) {
        out[i] = c;
      } else if (r == ignore && g == ignore && b == ignore) {
        out[i] = ClassLabels.IGNORED;
      } else {
        throw new InvalidInputException("colour [" + r + ", " + g + ", " + b + "] at " + at(i, width)
            + " is not in the class table " + table + (ignore >= 0 ? " nor the ignore label's grey "
            + ignore : "") + "; add it to data.classColors or store the labels losslessly (PNG, TIFF)");
      }
    }
    return classMap(out, width, height, table.size());
  }

  private static long pack(int r, int g, int b) {
    return ((long) r << 32) | ((long) g << 16) | b;
  }

  /** A class map's targets: the instances are the 4-connected components of each foreground class. */
  private static ClassLabels classMap(int[] classes, int width, int height, int classCount) {
    int[] key = new int[classes.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = Math.max(0, classes[i]);
    }
    return ClassLabels.trusted(classCount, classes, components(key, width, height), 0);
  }

  private static ClassLabels threeClass(InstanceLabels cells, boolean[] ignored) {
    int width = cells.width();
    int height = cells.height();
    int[] labels = cells.array();
    int[] out = new int[labels.length];
    for (int y = 0, i = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i++) {
        int cell = labels[i];
        if (ignored[i]) {
          out[i] = ClassLabels.IGNORED;
        } else if (cell == 0) {
          out[i] = 0;
        } else {
          boolean boundary = (x > 0 && differs(labels, ignored, i - 1, cell))
              || (x < width - 1 && differs(labels, ignored, i + 1, cell))
              || (y > 0 && differs(labels, ignored, i - width, cell))
              || (y < height - 1 && differs(labels, ignored, i + width, cell));
          out[i] = boundary ? 2 : 1;
        }
      }
    }
    return ClassLabels.trusted(3, out, cells, 0, 2);
  }

  private static boolean differs(int[] labels, boolean[] ignored, int neighbour, int cell) {
    return ignored[neighbour] || labels[neighbour] != cell;
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
