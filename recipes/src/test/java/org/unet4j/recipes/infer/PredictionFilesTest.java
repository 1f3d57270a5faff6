package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;

class PredictionFilesTest {
  @TempDir Path dir;

  /** A two-class map whose foreground is a 5x5 square of 0.75 at (2, 2) in a 9x7 image, 0.25 elsewhere. */
  private static ProbabilityMap square() {
    float[] p = new float[9 * 7 * 2];
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 9; x++) {
        float fg = x >= 2 && x < 7 && y >= 2 && y < 7 ? 0.75f : 0.25f;
        p[(y * 9 + x) * 2] = 1 - fg;
        p[(y * 9 + x) * 2 + 1] = fg;
      }
    }
    return new ProbabilityMap(9, 7, 2, p);
  }

  private static Image ramp(int w, int h) {
    float[] pixels = new float[w * h];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i * 37) % 256;
    }
    return Image.gray(w, h, PixelType.UINT8, pixels);
  }

  @Test
  void onePageGivesAFloatMapSixteenBitLabelsAndAnRgbOverlay() {
    ProbabilityMap map = square();
    InstanceLabels labels = InstanceSegmentation.labels(map.foreground(), 9, 7, 0.5, false, 0);
    PredictionFiles files = PredictionFiles.of(dir, "cells", 1);
    assertEquals(dir.resolve("cells_prob.tif"), files.probabilities());
    assertEquals(dir.resolve("cells_labels.tif"), files.labels());
    assertEquals(List.of(dir.resolve("cells_overlay.png")), files.overlays());
    files.write(List.of(ramp(9, 7)), List.of(map), List.of(labels), ProbabilityOf.FOREGROUND);

    List<Image> prob = ImageIo.readPages(files.probabilities());
    assertEquals(1, prob.size());
    assertEquals(PixelType.FLOAT32, prob.get(0).type());
    assertEquals(1, prob.get(0).channels());
    assertEquals(9, prob.get(0).width());
    assertEquals(7, prob.get(0).height());
    assertArrayEquals(map.foreground(), prob.get(0).pixels());

    Image label = ImageIo.read(files.labels());
    assertEquals(PixelType.UINT16, label.type());
    assertEquals(1, label.channels());
    assertArrayEquals(labels.toArray(), label.channelAsInts(0));
    assertEquals(1, label.get(4, 4, 0));
    assertEquals(0, label.get(0, 0, 0));

    Image overlay = ImageIo.read(files.overlays().get(0));
    assertEquals(PixelType.UINT8, overlay.type());
    assertEquals(3, overlay.channels());
    assertEquals(9, overlay.width());
    assertEquals(7, overlay.height());
  }

  @Test
  void aStackGivesOnePagePerInputPageAndOneOverlayPerPage() {
    List<Image> pages = new ArrayList<>();
    List<ProbabilityMap> maps = new ArrayList<>();
    List<InstanceLabels> labels = new ArrayList<>();
    for (int page = 0; page < 3; page++) {
      pages.add(ramp(9, 7));
      maps.add(square());
      labels.add(InstanceSegmentation.labels(square().foreground(), 9, 7, page == 2 ? 0.8 : 0.5, false, 0));
    }
    PredictionFiles files = PredictionFiles.of(dir, "volume", 3);
    assertEquals(List.of(dir.resolve("volume_overlay_p001.png"), dir.resolve("volume_overlay_p002.png"),
        dir.resolve("volume_overlay_p003.png")), files.overlays());
    files.write(pages, maps, labels, ProbabilityOf.FOREGROUND);
    assertEquals(3, ImageIo.pageCount(files.probabilities()));
    List<Image> labelPages = ImageIo.readPages(files.labels());
    assertEquals(3, labelPages.size());
    assertEquals(1, labelPages.get(1).get(4, 4, 0));
    assertEquals(0, labelPages.get(2).get(4, 4, 0), "page 3 was thresholded above 0.75");
    for (Path overlay : files.overlays()) {
      assertEquals(3, ImageIo.read(overlay).channels());
    }
  }

  @Test
  void overlayDrawsEachObjectsContourInColourOverTheGrayImage() {
    ProbabilityMap map = square();
    InstanceLabels labels = InstanceSegmentation.labels(map.foreground(), 9, 7, 0.5, false, 0);
    float[] flat = new float[9 * 7];
    java.util.Arrays.fill(flat, 100);
    flat[0] = 0;
    flat[1] = 200;
    BufferedImage picture = Overlay.of(Image.gray(9, 7, PixelType.UINT8, flat), labels);
    int colour = Overlay.colour(1);
    // The square spans x 2..6 and y 2..6; its contour is the pixels with a 4-neighbour outside it
    // within the image: row 2 and columns 2 and 6. Row 6 is the image's last row, and a missing
    // neighbour beyond the image does not count.
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 9; x++) {
        boolean inside = x >= 2 && x < 7 && y >= 2 && y < 7;
        boolean contour = inside && (x == 2 || x == 6 || y == 2);
        int rgb = picture.getRGB(x, y) & 0xFFFFFF;
        if (contour) {
          assertEquals(colour, rgb, "contour at " + x + "," + y);
        } else {
          int r = rgb >> 16 & 0xFF;
          assertTrue(r == (rgb >> 8 & 0xFF) && r == (rgb & 0xFF), "gray at " + x + "," + y);
        }
      }
    }
    assertNotEquals(picture.getRGB(0, 0), picture.getRGB(1, 0), "the image shows through");
  }

  @Test
  void moreObjectsThanSixteenBitsHoldAreRefused() {
    int w = 2 * 65536;
    int[] many = new int[w];
    for (int i = 0; i < w; i += 2) {
      many[i] = i / 2 + 1;
    }
    InstanceLabels labels = InstanceLabels.of(many, w, 1);
    float[] p = new float[w];
    PredictionFiles files = PredictionFiles.of(dir, "dense", 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> files.write(
        List.of(Image.gray(w, 1, PixelType.UINT8, new float[w])), List.of(new ProbabilityMap(w, 1, 1, p)),
        List.of(labels), ProbabilityOf.FOREGROUND));
    assertEquals("dense_labels.tif: 65536 objects, more than the 65535 that 16-bit labels hold; raise the threshold"
        + " or inference.minObjectSize, or predict smaller images", e.getMessage());
    assertFalse(Files.exists(files.probabilities()), "nothing is written");
  }
}
