package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calibration read from TIFFs written by the JDK's writer with the tags other tools write. */
class CalibrationTest {
  @TempDir Path dir;

  /** A 3x2 8-bit TIFF with the given description, XResolution = YResolution and ResolutionUnit. */
  private Path tiff(String name, @Nullable String description, long[] resolution, int unit) throws IOException {
    Path file = dir.resolve(name);
    BaselineTIFFTagSet baseline = BaselineTIFFTagSet.getInstance();
    TIFFDirectory tags = new TIFFDirectory(new javax.imageio.plugins.tiff.TIFFTagSet[] {baseline}, null);
    if (description != null) {
      tags.addTIFFField(new TIFFField(baseline.getTag(BaselineTIFFTagSet.TAG_IMAGE_DESCRIPTION), TIFFTag.TIFF_ASCII,
          1, new String[] {description}));
    }
    for (int tag : new int[] {BaselineTIFFTagSet.TAG_X_RESOLUTION, BaselineTIFFTagSet.TAG_Y_RESOLUTION}) {
      tags.addTIFFField(new TIFFField(baseline.getTag(tag), TIFFTag.TIFF_RATIONAL, 1, new long[][] {resolution}));
    }
    tags.addTIFFField(new TIFFField(baseline.getTag(BaselineTIFFTagSet.TAG_RESOLUTION_UNIT), unit));
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY), null,
          tags.getAsMetadata()), null);
    } finally {
      writer.dispose();
    }
    return file;
  }

  @Test
  void imageJHeaderGivesUnitAndSpacing() throws IOException {
    // ImageJ: 4 pixels per micron (0.25 micron pixels), ResolutionUnit none, the unit in the header.
    Path file = tiff("ij.tif", "ImageJ=1.54f\nimages=5\nslices=5\nunit=micron\nspacing=2.5\nloop=false\n",
        new long[] {4_000_000, 1_000_000}, 1);
    assertEquals(new Calibration(0.25, 0.25, 2.5, "micron"), Calibration.read(file));
  }

  @Test
  void omeXmlGivesPhysicalSizesInTheUnitOfX() throws IOException {
    String ome = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><OME xmlns=\"http://www.openmicroscopy.org/Schemas/OME/2016-06\">"
        + "<Image ID=\"Image:0\"><Pixels DimensionOrder=\"XYZCT\" ID=\"Pixels:0\" PhysicalSizeX=\"0.325\""
        + " PhysicalSizeY=\"0.5\" PhysicalSizeZ=\"1500\" PhysicalSizeZUnit=\"nm\" SizeX=\"3\" SizeY=\"2\" SizeZ=\"1\""
        + " SizeC=\"1\" SizeT=\"1\" Type=\"uint8\"/></Image></OME>";
    // OME wins over a resolution tag that says something else; missing units are microns; Z in nm is converted.
    Calibration c = Calibration.read(tiff("ome.tif", ome, new long[] {72, 1}, 2));
    assertEquals("micron", c.unit());
    assertEquals(0.325, c.pixelWidth(), 1e-12);
    assertEquals(0.5, c.pixelHeight(), 1e-12);
    assertEquals(1.5, c.pixelDepth(), 1e-12);
  }

  @Test
  void centimetreResolutionIsShownInMicrons() throws IOException {
    // 20000 pixels per cm: a pixel is 1/20000 cm = 0.5 micron.
    Calibration c = Calibration.read(tiff("cm.tif", null, new long[] {20_000, 1}, 3));
    assertEquals("micron", c.unit());
    assertEquals(0.5, c.pixelWidth(), 1e-9);
    assertEquals(1, c.pixelDepth());
    assertEquals("inch", Calibration.read(tiff("dpi.tif", null, new long[] {300, 1}, 2)).unit());
  }

  @Test
  void noUnitMeansNoCalibration() throws IOException {
    assertEquals(Calibration.NONE, Calibration.read(tiff("plain.tif", "a microscope's free text", new long[] {1, 1}, 1)));
    assertEquals(Calibration.NONE, Calibration.read(tiff("zero.tif", null, new long[] {0, 0}, 3)));
    Path png = dir.resolve("a.png");
    ImageIo.writePng(png, Image.gray(2, 2, PixelType.UINT8, new float[4]));
    assertEquals(Calibration.NONE, Calibration.read(png));
    assertFalse(Calibration.NONE.calibrated());
    assertTrue(Calibration.square(0.5, "um").calibrated());
    assertEquals("micron", Calibration.square(0.5, "\u00B5m").unit());
  }

  @Test
  void badCalibrationsAreRefused() {
    assertEquals("pixel sizes must be positive finite numbers, got 0.0 x 1.0 x 1.0",
        assertThrows(IllegalArgumentException.class, () -> new Calibration(0, 1, 1, "micron")).getMessage());
    assertEquals("a unit is a word such as micron, nm or mm, got \"a b\"",
        assertThrows(IllegalArgumentException.class, () -> Calibration.square(1, "a b")).getMessage());
  }
}
