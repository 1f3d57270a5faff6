package org.unet4j.recipes.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link Calibration} from the first directory of a TIFF (classic or BigTIFF, either byte
 * order): ImageDescription (270), XResolution (282), YResolution (283) and ResolutionUnit (296).
 * These four tags are read by hand rather than through the JDK's metadata parser because that
 * parser refuses a whole directory for one malformed tag of no interest here (BBBC039's 21-byte
 * DateTime), and does not read BigTIFF ({@link BigTiffReader} reads only the tags of the pixels).
 */
final class TiffCalibration {
  private static final int DESCRIPTION = 270;
  private static final int X_RESOLUTION = 282;
  private static final int Y_RESOLUTION = 283;
  private static final int RESOLUTION_UNIT = 296;
  /** A description longer than this is not calibration worth reading (OME-XML of a plate, say). */
  private static final int MAX_DESCRIPTION = 1 << 20;

  private static final Pattern OME_PIXELS = Pattern.compile("<(?:\\w+:)?Pixels\\b[^>]*>", Pattern.DOTALL);
  /** Metres per unit for the OME unit symbols a microscope writes. */
  private static final Map<String, Double> METRES = Map.of("m", 1.0, "cm", 1e-2, "mm", 1e-3, "\u00B5m", 1e-6,
      "um", 1e-6, "nm", 1e-9, "pm", 1e-12, "\u00C5", 1e-10);

  private TiffCalibration() {}

  static Calibration read(Path file) {
    Tags tags;
    try (FileChannel channel = FileChannel.open(file)) {
      tags = Tags.read(channel);
    } catch (IOException | RuntimeException e) {
      // The pixels are read by the JDK's reader, which reports a damaged file properly; a
      // directory this reader cannot follow only means no calibration.
      return Calibration.NONE;
    }
    try {
      Calibration ome = tags.description == null ? null : ome(tags.description);
      if (ome != null) {
        return ome;
      }
      return resolution(tags);
    } catch (IllegalArgumentException e) {
      // Zero, negative or absurd sizes: no calibration rather than a refused image.
      return Calibration.NONE;
    }
  }

  /** ImageJ's description or ResolutionUnit with XResolution and YResolution. */
  private static Calibration resolution(Tags tags) {
    String imageJUnit = null;
    double spacing = 1;
    if (tags.description != null && tags.description.startsWith("ImageJ=")) {
      for (String line : tags.description.split("\n")) {
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        if (key.equals("unit")) {
          imageJUnit = value;
        } else if (key.equals("spacing")) {
          spacing = Double.parseDouble(value);
        }
      }
    }
    double width = tags.xResolution > 0 ? 1 / tags.xResolution : 1;
    double height = tags.yResolution > 0 ? 1 / tags.yResolution : width;
    if (imageJUnit != null && !imageJUnit.isBlank()) {
      return new Calibration(width, height, Math.abs(spacing), imageJUnit);
    }
    if (tags.xResolution <= 0) {
      return Calibration.NONE;
    }
    return switch (tags.resolutionUnit) {
      // Centimetres are microscopy's pixel sizes in Fiji's microns, as ImageJ shows them.
      case 3 -> new Calibration(width * 1e4, height * 1e4, 1, Calibration.MICRON);
      case 2 -> new Calibration(width, height, 1, "inch");
      default -> Calibration.NONE;
    };
  }

  /** OME-XML's physical sizes, in the unit of X; null when the description is not OME-XML or has none. */
  static @Nullable Calibration ome(String description) {
    if (!description.contains("<OME") && !description.contains(":OME")) {
      return null;
    }
    Matcher pixels = OME_PIXELS.matcher(description);
    if (!pixels.find()) {
      return null;
    }
    String element = pixels.group();
    String x = attribute(element, "PhysicalSizeX");
    if (x == null) {
      return null;
    }
    String unit = unitOf(element, "PhysicalSizeXUnit");
    double width = Double.parseDouble(x);
    double height = size(element, "PhysicalSizeY", unit, width);
    double depth = size(element, "PhysicalSizeZ", unit, 1);
    return new Calibration(width, height, depth, unit);
  }

  /** A size attribute converted to {@code unit}, or {@code absent} when missing. */
  private static double size(String element, String name, String unit, double absent) {
    String value = attribute(element, name);
    if (value == null) {
      return absent;
    }
    String own = unitOf(element, name + "Unit");
    double v = Double.parseDouble(value);
    if (own.equals(unit)) {
      return v;
    }
    Double from = METRES.get(own);
    Double to = METRES.get(unit);
    if (from == null || to == null) {
      throw new IllegalArgumentException("OME sizes in " + own + " and " + unit + " cannot be compared");
    }
    return v * from / to;
  }

  /** An OME unit attribute; microns when missing, as the OME schema's default. */
  private static String unitOf(String element, String name) {
    String unit = attribute(element, name);
    return unit == null ? "\u00B5m" : unit;
  }

  private static @Nullable String attribute(String element, String name) {
    Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*\"([^\"]*)\"").matcher(element);
    return m.find() ? m.group(1).strip() : null;
  }

  /** The four tags of the first directory. */
  private static final class Tags {
    @Nullable String description;
    double xResolution;
    double yResolution;
    int resolutionUnit = 2;

    static Tags read(FileChannel channel) throws IOException {
      ByteBuffer head = bytes(channel, 0, 16);
      ByteOrder order = head.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      head.order(order);
      int magic = head.getShort(2);
      if (head.get(0) != head.get(1) || (head.get(0) != 'I' && head.get(0) != 'M') || (magic != 42 && magic != 43)) {
        throw new IOException("not a TIFF");
      }
      boolean big = magic == 43;
      long directory = big ? head.getLong(8) : Integer.toUnsignedLong(head.getInt(4));
      int countBytes = big ? 8 : 2;
      int entryBytes = big ? 20 : 12;
      int inline = big ? 8 : 4;
      ByteBuffer count = bytes(channel, directory, countBytes).order(order);
      long entries = big ? count.getLong(0) : Short.toUnsignedInt(count.getShort(0));
      if (entries < 1 || entries > 4096) {
        throw new IOException("implausible directory of " + entries + " entries");
      }
      ByteBuffer table = bytes(channel, directory + countBytes, (int) entries * entryBytes).order(order);
      Tags tags = new Tags();
      for (int e = 0; e < entries; e++) {
        int at = e * entryBytes;
        int tag = Short.toUnsignedInt(table.getShort(at));
        int type = Short.toUnsignedInt(table.getShort(at + 2));
        long n = big ? table.getLong(at + 4) : Integer.toUnsignedLong(table.getInt(at + 4));
        int valueAt = at + (big ? 12 : 8);
        switch (tag) {
          case DESCRIPTION -> {
            if (type == 2 && n > 0 && n <= MAX_DESCRIPTION) {
              ByteBuffer text = n <= inline ? table.slice(valueAt, (int) n)
                  : bytes(channel, offset(table, valueAt, big), (int) n);
              byte[] chars = new byte[(int) n];
              text.get(chars);
              tags.description = new String(chars, StandardCharsets.UTF_8).replace("\0", "").strip()
                  .replace("\r\n", "\n");
            }
          }
          case X_RESOLUTION, Y_RESOLUTION -> {
            if (type == 5 && n == 1) {
              ByteBuffer rational = (big ? table.slice(valueAt, 8) : bytes(channel, offset(table, valueAt, false), 8))
                  .order(order);
              long numerator = Integer.toUnsignedLong(rational.getInt(0));
              long denominator = Integer.toUnsignedLong(rational.getInt(4));
              double value = denominator == 0 ? 0 : (double) numerator / denominator;
              if (tag == X_RESOLUTION) {
                tags.xResolution = value;
              } else {
                tags.yResolution = value;
              }
            }
          }
          case RESOLUTION_UNIT -> {
            if (type == 3) {
              tags.resolutionUnit = Short.toUnsignedInt(table.getShort(valueAt));
            }
          }
          default -> {
            // other tags: the JDK's reader decodes what the pixels need
          }
        }
      }
      return tags;
    }

    private static long offset(ByteBuffer table, int at, boolean big) {
      return big ? table.getLong(at) : Integer.toUnsignedLong(table.getInt(at));
    }

    private static ByteBuffer bytes(FileChannel channel, long position, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          throw new IOException("the file ends at " + (position + buffer.position()) + ", inside a directory");
        }
      }
      return buffer.flip();
    }
  }
}
