package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.labels.Outline;
import org.unet4j.labels.Outlines;

/** ROI sets decoded by a reader written here from ImageJ's published ROI layout, not by the writer's code. */
public class ImageJRoisTest {
  @TempDir Path dir;

  /** A decoded polygon ROI: its header fields and absolute vertices. */
  public record Decoded(String name, int version, int type, int position, int options, double[] x, double[] y) {
    public double area() {
      double twice = 0;
      for (int i = 0; i < x.length; i++) {
        int j = (i + 1) % x.length;
        twice += x[i] * y[j] - x[j] * y[i];
      }
      return Math.abs(twice / 2);
    }
  }

  public static Map<String, Decoded> decode(Path zip) throws IOException {
    Map<String, Decoded> rois = new LinkedHashMap<>();
    try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
        assertEquals("Iout", new String(b.array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        int top = b.getShort(8);
        int left = b.getShort(10);
        int n = b.getShort(16) & 0xFFFF;
        if (n == 0) {
          n = b.getInt(18);
        }
        int options = b.getShort(50);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
          if ((options & 128) != 0) {
            x[i] = b.getFloat(64 + 4 * n + 4 * i);
            y[i] = b.getFloat(64 + 8 * n + 4 * i);
          } else {
            x[i] = left + b.getShort(64 + 2 * i);
            y[i] = top + b.getShort(64 + 2 * n + 2 * i);
          }
        }
        String name = entry.getName();
        rois.put(name.substring(0, name.length() - 4), new Decoded(name, b.getShort(4), b.get(6), b.getInt(56),
            options, x, y));
      }
    }
    return rois;
  }

  @Test
  void onePolygonPerObjectWhoseFilledAreaIsTheObjectsPixels() throws IOException {
    // 1: a 3x2 block; 2: an L of 4 pixels touching the border; 3: one pixel; 4: a U around a notch.
    String[] rows = {
        "1110022",
        "1110002",
        "0000002",
        "3004040",
        "0004440"};
    int width = rows[0].length();
    int[] labels = new int[width * rows.length];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < width; x++) {
        labels[y * width + x] = rows[y].charAt(x) - '0';
      }
    }
    Path zip = dir.resolve("cells_rois.zip");
    ImageJRois.write(zip, List.of(Outlines.trace(labels, width, rows.length)));
    Map<String, Decoded> rois = decode(zip);
    assertEquals(4, rois.size());
    int[] areas = new int[5];
    for (int v : labels) {
      areas[v]++;
    }
    List<Double> decodedAreas = new ArrayList<>();
    for (Decoded roi : rois.values()) {
      assertEquals(228, roi.version());
      assertEquals(0, roi.type(), "polygon");
      assertEquals(0, roi.position(), "one page: no position");
      assertEquals(0, roi.options());
      decodedAreas.add(roi.area());
    }
    assertEquals(List.of((double) areas[1], (double) areas[2], (double) areas[3], (double) areas[4]), decodedAreas);
    // Names are the bounds' centre, y then x: block 1 spans corners x 0..3, y 0..2.
    assertEquals(List.of("0001-0001", "0001-0006", "0003-0000", "0004-0004"), List.copyOf(rois.keySet()));
    Decoded block = rois.get("0001-0001");
    assertArrayEquals(new double[] {0, 3, 3, 0}, block.x());
    assertArrayEquals(new double[] {0, 0, 2, 2}, block.y());
  }

  @Test
  void aStackGetsPositionsAndPagePrefixedNames() throws IOException {
    Outline square = new Outline(1, new int[] {1, 2, 2, 1}, new int[] {1, 1, 2, 2});
    Path zip = dir.resolve("stack_rois.zip");
    ImageJRois.write(zip, List.of(List.of(square), List.of(), List.of(square, square)));
    Map<String, Decoded> rois = decode(zip);
    assertEquals(List.of("0001-0001-0001", "0003-0001-0001", "0003-0001-0001-2"), List.copyOf(rois.keySet()));
    assertEquals(List.of(1, 3, 3), rois.values().stream().map(Decoded::position).toList());
  }

  @Test
  void coordinatesBeyond16BitsAreWrittenAsFloats() throws IOException {
    Outline far = new Outline(7, new int[] {40_000, 40_003, 40_003, 40_000}, new int[] {5, 5, 70_001, 70_001});
    Path zip = dir.resolve("far_rois.zip");
    ImageJRois.write(zip, List.of(List.of(far)));
    Decoded roi = decode(zip).values().iterator().next();
    assertEquals(128, roi.options());
    assertArrayEquals(new double[] {40_000, 40_003, 40_003, 40_000}, roi.x());
    assertArrayEquals(new double[] {5, 5, 70_001, 70_001}, roi.y());
    assertEquals(3.0 * 69_996, roi.area());
  }

  @Test
  void noPagesIsRefused() {
    assertEquals("a ROI set is written for at least one page, got none",
        assertThrows(IllegalArgumentException.class, () -> ImageJRois.write(dir.resolve("x.zip"), List.of()))
            .getMessage());
  }
}
