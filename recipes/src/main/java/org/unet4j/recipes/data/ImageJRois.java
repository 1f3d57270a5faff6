package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.unet4j.labels.Outline;

/**
 * Writes object outlines as an ImageJ ROI set: a zip of {@code .roi} files, one polygon per
 * object, that Fiji's ROI Manager opens (File &gt; Open, or dropped on Fiji) and lists by name.
 *
 * <p><b>Format</b> (ImageJ's {@code RoiEncoder}/{@code RoiDecoder}, big-endian): a 64-byte header
 * ({@code "Iout"}, version 228, type 0 = polygon, the bounds top/left/bottom/right as 16-bit
 * numbers, the vertex count, for a stack the page as the ROI's position at byte 56), then the x
 * coordinates and the y coordinates as 16-bit offsets from the bounds' left and top. Beyond 32767
 * pixels 16 bits no longer hold a coordinate: such an outline also carries its vertices as 32-bit
 * floats after the offsets, with the sub-pixel option (128) that tells ImageJ to read those
 * instead. More than 65535 vertices are counted in the 32-bit field at byte 18, as ImageJ does.
 *
 * <p><b>Names</b> are ImageJ's: the centre of the bounds as {@code yyyy-xxxx} (four digits, more
 * when the image is wider), preceded by the page as {@code pppp-} in a stack, with {@code -2},
 * {@code -3} appended when two objects share a name.
 */
public final class ImageJRois {
  private static final int HEADER = 64;
  private static final int VERSION = 228;
  private static final int SUB_PIXEL = 128;
  private static final int POSITION = 56;
  /** Offsets and bounds up to this are plain 16-bit numbers. */
  private static final int SHORT_MAX = Short.MAX_VALUE;

  private ImageJRois() {}

  /**
   * Writes the outlines of every page ({@code pages.get(p)} are those of page {@code p + 1}) as
   * the ROI set {@code zip}, atomically; a single page makes a ROI set without positions.
   *
   * @throws IllegalArgumentException when there are no pages
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static void write(Path zip, List<List<Outline>> pages) {
    checkNotNull(zip, "zip");
    checkNotNull(pages, "pages");
    checkArgument(!pages.isEmpty(), "a ROI set is written for at least one page, got none");
    boolean stack = pages.size() > 1;
    AtomicFiles.write(zip, out -> {
      ZipOutputStream entries = new ZipOutputStream(out);
      Set<String> names = new HashSet<>();
      for (int page = 0; page < pages.size(); page++) {
        for (Outline outline : pages.get(page)) {
          String name = unique(name(outline, stack ? page + 1 : 0), names);
          entries.putNextEntry(new ZipEntry(name + ".roi"));
          entries.write(encode(outline, stack ? page + 1 : 0));
          entries.closeEntry();
        }
      }
      entries.finish();
    });
  }

  /**
   * One {@code .roi} file's bytes.
   *
   * @param position the 1-based page of a stack, 0 for an image of one page
   */
  static byte[] encode(Outline outline, int position) {
    int n = outline.size();
    Bounds b = Bounds.of(outline);
    int left = b.left();
    int top = b.top();
    int right = b.right();
    int bottom = b.bottom();
    boolean subPixel = right > SHORT_MAX || bottom > SHORT_MAX;
    ByteBuffer roi = ByteBuffer.allocate(HEADER + 4 * n + (subPixel ? 8 * n : 0)).order(ByteOrder.BIG_ENDIAN);
    roi.put(new byte[] {'I', 'o', 'u', 't'});
    roi.putShort(4, (short) VERSION);
    roi.put(6, (byte) 0);
    roi.putShort(8, (short) top);
    roi.putShort(10, (short) left);
    roi.putShort(12, (short) bottom);
    roi.putShort(14, (short) right);
    if (n <= 0xFFFF) {
      roi.putShort(16, (short) n);
    } else {
      roi.putInt(18, n);
    }
    roi.putShort(50, (short) (subPixel ? SUB_PIXEL : 0));
    roi.putInt(POSITION, position);
    for (int i = 0; i < n; i++) {
      roi.putShort(HEADER + 2 * i, (short) (outline.x()[i] - left));
      roi.putShort(HEADER + 2 * n + 2 * i, (short) (outline.y()[i] - top));
    }
    if (subPixel) {
      for (int i = 0; i < n; i++) {
        roi.putFloat(HEADER + 4 * n + 4 * i, outline.x()[i]);
        roi.putFloat(HEADER + 8 * n + 4 * i, outline.y()[i]);
      }
    }
    return roi.array();
  }

  /** ImageJ's ROI Manager name: the bounds' centre as {@code yyyy-xxxx}, after the page in a stack. */
  static String name(Outline outline, int position) {
    Bounds b = Bounds.of(outline);
    String centre = String.format(Locale.ROOT, "%04d-%04d", (b.top() + b.bottom()) / 2, (b.left() + b.right()) / 2);
    return position > 0 ? String.format(Locale.ROOT, "%04d-%s", position, centre) : centre;
  }

  private static String unique(String name, Set<String> used) {
    String candidate = name;
    for (int k = 2; !used.add(candidate); k++) {
      candidate = name + "-" + k;
    }
    return candidate;
  }

  /** The smallest rectangle of corners holding an outline. */
  private record Bounds(int left, int top, int right, int bottom) {
    static Bounds of(Outline outline) {
      int left = Integer.MAX_VALUE;
      int top = Integer.MAX_VALUE;
      int right = Integer.MIN_VALUE;
      int bottom = Integer.MIN_VALUE;
      for (int i = 0; i < outline.size(); i++) {
        left = Math.min(left, outline.x()[i]);
        right = Math.max(right, outline.x()[i]);
        top = Math.min(top, outline.y()[i]);
        bottom = Math.max(bottom, outline.y()[i]);
      }
      return new Bounds(left, top, right, bottom);
    }
  }
}
