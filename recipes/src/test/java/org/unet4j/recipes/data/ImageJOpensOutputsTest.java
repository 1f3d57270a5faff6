package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.Opener;
import ij.io.RoiDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.labels.Outlines;

/**
 * ImageJ 1.54f itself (the core of Fiji, a test dependency) opens what is written for Fiji: the
 * calibrated TIFFs with their unit, pixel size and z-stack, and the ROI set's polygons with their
 * positions and pixels.
 */
class ImageJOpensOutputsTest {
  @TempDir Path dir;

  private Path stack(Path file, int pages, PixelType type, Calibration calibration, TiffVariant variant) {
    try (StripTiffWriter writer = StripTiffWriter.create(file, calibration, variant)) {
      for (int page = 0; page < pages; page++) {
        float[] pixels = new float[7 * 5];
        pixels[3] = page + 1;
        writer.beginPage(7, 5, type);
        writer.writeRows(pixels, 0, 5);
        writer.endPage();
      }
      writer.commit();
    }
    return file;
  }

  @Test
  void aCalibratedStackOpensAsAZStackInMicrons() {
    ImagePlus image = new Opener().openImage(stack(dir.resolve("labels.tif"), 3, PixelType.UINT16,
        new Calibration(0.325, 0.325, 2, "micron"), TiffVariant.CLASSIC).toString());
    assertNotNull(image);
    assertEquals(3, image.getNSlices());
    assertEquals(1, image.getNChannels());
    assertEquals(1, image.getNFrames());
    assertEquals(16, image.getBitDepth());
    ij.measure.Calibration c = image.getCalibration();
    assertEquals("micron", c.getUnit());
    assertEquals("microns", c.getUnits());
    assertEquals(0.325, c.pixelWidth, 1e-9);
    assertEquals(0.325, c.pixelHeight, 1e-9);
    assertEquals(2, c.pixelDepth, 1e-12);
    assertEquals(3, image.getStack().getProcessor(3).getPixel(3, 0));
  }

  @Test
  void aFloatPageAndAnUncalibratedPage() {
    ImagePlus prob = new Opener().openImage(stack(dir.resolve("prob.tif"), 1, PixelType.FLOAT32,
        Calibration.square(0.5, "nm"), TiffVariant.CLASSIC).toString());
    assertEquals(32, prob.getBitDepth());
    assertEquals("nm", prob.getCalibration().getUnit());
    assertEquals(0.5, prob.getCalibration().pixelWidth, 1e-9);
    ImagePlus plain = new Opener().openImage(stack(dir.resolve("plain.tif"), 2, PixelType.UINT8, Calibration.NONE,
        TiffVariant.CLASSIC).toString());
    assertEquals(false, plain.getCalibration().scaled());
    assertEquals(2, plain.getNSlices());
  }

  /** ImageJ 1.x has no BigTIFF reader of its own: Fiji reads BigTIFF through Bio-Formats. */
  @Test
  void imageJAloneDoesNotOpenBigTiff() {
    Path big = stack(dir.resolve("big.tif"), 2, PixelType.UINT16, Calibration.NONE, TiffVariant.BIG);
    assertNull(new Opener().openImage(big.toString()));
  }

  @Test
  void roiSetsDecodeToPolygonsOverTheObjectsPixels() throws IOException {
    int[] labels = {
        1, 1, 0, 0, 3,
        1, 0, 0, 2, 3,
        0, 0, 0, 2, 3,
        4, 4, 4, 0, 3};
    Path zip = dir.resolve("cells_rois.zip");
    ImageJRois.write(zip, List.of(Outlines.trace(labels, 5, 4), List.of(), Outlines.trace(labels, 5, 4)));
    List<String> seen = new ArrayList<>();
    try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        Roi roi = new RoiDecoder(in.readAllBytes(), entry.getName()).getRoi();
        seen.add(roi.getName() + " " + roi.getTypeAsString() + " position " + roi.getPosition() + " pixels "
            + roi.getContainedPoints().length);
      }
    }
    assertEquals(List.of("0001-0001-0001 Polygon position 1 pixels 3", "0001-0002-0003 Polygon position 1 pixels 2",
        "0001-0002-0004 Polygon position 1 pixels 4", "0001-0003-0001 Polygon position 1 pixels 3",
        "0003-0001-0001 Polygon position 3 pixels 3", "0003-0002-0003 Polygon position 3 pixels 2",
        "0003-0002-0004 Polygon position 3 pixels 4", "0003-0003-0001 Polygon position 3 pixels 3"), seen);
  }
}
