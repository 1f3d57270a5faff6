package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageIoTest {
  private static final String BBBC039 = "IXMtest_C02_s4_w1661FF37C-AB9B-4038-BDF3-D21DFD2811BE";

  @TempDir Path dir;

  /** Every type, 1 to 5 channels (gray, 2, RGB, RGBA, 5), the smallest and odd sizes. */
  static Stream<Arguments> tiffCases() {
    List<Arguments> cases = new ArrayList<>();
    for (PixelType type : PixelType.values()) {
      for (int channels = 1; channels <= 5; channels++) {
        for (int[] size : new int[][] {{1, 1}, {7, 5}, {3, 64}, {130, 1}}) {
          cases.add(Arguments.of(type, channels, size[0], size[1]));
        }
      }
    }
    return cases.stream();
  }

  static Stream<Arguments> pngCases() {
    List<Arguments> cases = new ArrayList<>();
    for (PixelType type : List.of(PixelType.UINT8, PixelType.UINT16)) {
      for (int channels = 1; channels <= 4; channels++) {
        for (int[] size : new int[][] {{1, 1}, {7, 5}, {64, 3}}) {
          cases.add(Arguments.of(type, channels, size[0], size[1]));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1} channel(s), {2}x{3}")
  @MethodSource("tiffCases")
  void tiffRoundTripIsExact(PixelType type, int channels, int width, int height) {
    Image image = sample(type, channels, width, height, 1);
    Path file = dir.resolve("a.tif");
    ImageIo.writeTiff(file, image);
    assertEquals(image, ImageIo.read(file));
    assertEquals(1, ImageIo.pageCount(file));
    assertEquals(List.of(image), ImageIo.readPages(file));
  }

  @ParameterizedTest(name = "{0}, {1} channel(s), {2}x{3}")
  @MethodSource("pngCases")
  void pngRoundTripIsExact(PixelType type, int channels, int width, int height) {
    Image image = sample(type, channels, width, height, 2);
    Path file = dir.resolve("a.png");
    ImageIo.writePng(file, image);
    assertEquals(image, ImageIo.read(file));
    assertEquals(1, ImageIo.pageCount(file));
    assertEquals(List.of(image), ImageIo.readPages(file));
  }

  @Test
  void multiPageTiffKeepsEveryPageInOrder() {
    List<Image> pages = List.of(
        sample(PixelType.UINT8, 1, 7, 5, 10),
        sample(PixelType.UINT8, 1, 7, 5, 11),
        sample(PixelType.UINT8, 1, 7, 5, 12));
    Path file = dir.resolve("volume.tif");
    ImageIo.writeTiffPages(file, pages);
    assertEquals(3, ImageIo.pageCount(file));
    assertEquals(pages, ImageIo.readPages(file));
    assertEquals(pages.get(0), ImageIo.read(file));

    // Pages of different sizes and types.
    List<Image> mixed = List.of(sample(PixelType.FLOAT32, 1, 3, 2, 13), sample(PixelType.UINT16, 3, 5, 4, 14));
    ImageIo.writeTiffPages(file, mixed);
    assertEquals(mixed, ImageIo.readPages(file));
  }

  /**
   * Bytes read elsewhere decode to the pages of the file they came from, whatever the origin is
   * called (a PNG under a .tif name too); empty, foreign and truncated bytes fail with the origin.
   */
  @Test
  void bytesInMemoryDecodeAsTheirFile() throws IOException {
    List<Image> pages = List.of(sample(PixelType.UINT16, 1, 7, 5, 30), sample(PixelType.FLOAT32, 3, 2, 9, 31));
    Path tiff = dir.resolve("stack.tif");
    ImageIo.writeTiffPages(tiff, pages);
    assertEquals(pages, ImageIo.readPages(Files.readAllBytes(tiff), Path.of("column content")));
    Image rgba = sample(PixelType.UINT8, 4, 1, 1, 32);
    Path png = dir.resolve("dot.png");
    ImageIo.writePng(png, rgba);
    assertEquals(List.of(rgba), ImageIo.readPages(Files.readAllBytes(png), Path.of("dot.tif")));

    Path origin = Path.of("hdfs:/plate/a1.tif");
    assertEquals(origin + ": is empty (0 bytes)",
        assertThrows(ImageReadException.class, () -> ImageIo.readPages(new byte[0], origin)).getMessage());
    assertEquals(origin + ": is not a TIFF or PNG image: it is a GIF; unet4j reads TIFF (.tif, .tiff) and PNG (.png)"
        + " images", assertThrows(ImageReadException.class,
            () -> ImageIo.readPages(new byte[] {'G', 'I', 'F', '8', '9', 'a'}, origin)).getMessage());
    Path big = dir.resolve("big.png");
    ImageIo.writePng(big, sample(PixelType.UINT16, 3, 40, 30, 33));
    byte[] bytes = Files.readAllBytes(big);
    ImageReadException cut = assertThrows(ImageReadException.class,
        () -> ImageIo.readPages(Arrays.copyOf(bytes, bytes.length / 2), origin));
    assertTrue(cut.getMessage().startsWith(origin + ": cannot decode the PNG data (damaged or truncated file?): "),
        cut.getMessage());
    assertEquals(origin, cut.file());
  }

  @Test
  void sixteenBitSamplesComeBackUnsigned() {
    Path tiff = dir.resolve("u16.tif");
    Path png = dir.resolve("u16.png");
    Image image = Image.gray(4, 1, PixelType.UINT16, new float[] {0, 32767, 32768, 65535});
    ImageIo.writeTiff(tiff, image);
    ImageIo.writePng(png, image);
    assertArrayEquals(new int[] {0, 32767, 32768, 65535}, ImageIo.read(tiff).channelAsInts(0));
    assertArrayEquals(new int[] {0, 32767, 32768, 65535}, ImageIo.read(png).channelAsInts(0));
  }

  /** The float TIFF's tags, read from the bytes (not through javax.imageio): what Fiji sees. */
  @Test
  void floatTiffIs32BitIeeeWithSampleFormat3() throws IOException {
    Path file = dir.resolve("w.tif");
    ImageIo.writeTiff(file, Image.gray(7, 5, PixelType.FLOAT32, new float[35]));
    Map<Integer, Long> tags = firstIfd(Files.readAllBytes(file));
    assertAll(
        () -> assertEquals(7L, tags.get(256), "ImageWidth"),
        () -> assertEquals(5L, tags.get(257), "ImageLength"),
        () -> assertEquals(32L, tags.get(258), "BitsPerSample"),
        () -> assertEquals(1L, tags.get(259), "Compression: none"),
        () -> assertEquals(1L, tags.get(262), "PhotometricInterpretation: BlackIsZero"),
        () -> assertEquals(1L, tags.get(277), "SamplesPerPixel"),
        () -> assertEquals(3L, tags.get(339), "SampleFormat: IEEE float"));
  }

  @Test
  void readsTheBbbc039ImageAndMask() throws URISyntaxException {
    Image image = ImageIo.read(resource("data/bbbc039/images/" + BBBC039 + ".tif"));
    assertEquals(696, image.width());
    assertEquals(520, image.height());
    assertEquals(1, image.channels());
    assertEquals(PixelType.UINT16, image.type());
    int[] values = image.channelAsInts(0);
    int max = Arrays.stream(values).max().orElseThrow();
    int min = Arrays.stream(values).min().orElseThrow();
    // A 12-bit camera: above 8 bits, within 0..4095.
    assertTrue(max > 255 && max <= 4095, "max " + max);
    assertTrue(min >= 0 && min < max, "min " + min);

    Image mask = ImageIo.read(resource("data/bbbc039/masks/" + BBBC039 + ".png"));
    assertEquals(696, mask.width());
    assertEquals(520, mask.height());
    assertEquals(4, mask.channels(), "RGBA");
    assertEquals(PixelType.UINT8, mask.type());
    TreeSet<Integer> red = new TreeSet<>();
    Arrays.stream(mask.channelAsInts(0)).forEach(red::add);
    assertEquals(List.of(0, 1, 2, 3), List.copyOf(red));
  }

  @Test
  void palettePngGivesTheIndices() throws IOException {
    byte[] r = {0, (byte) 255, 0, 0};
    byte[] g = {0, 0, (byte) 255, 0};
    byte[] b = {0, 0, 0, (byte) 255};
    BufferedImage indexed = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b));
    int[] indices = {0, 1, 2, 3, 2, 1};
    indexed.getRaster().setPixels(0, 0, 3, 2, indices);
    Path file = dir.resolve("palette.png");
    ImageIO.write(indexed, "png", file.toFile());
    Image image = ImageIo.read(file);
    assertEquals(1, image.channels());
    assertEquals(PixelType.UINT8, image.type());
    assertArrayEquals(indices, image.channelAsInts(0));
  }

  @Test
  void writingReplacesTheFileAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("sub/folder/a.png");
    Image first = sample(PixelType.UINT8, 1, 7, 5, 20);
    Image second = sample(PixelType.UINT8, 3, 4, 4, 21);
    ImageIo.writePng(file, first);
    ImageIo.writePng(file, second);
    assertEquals(second, ImageIo.read(file));
    // A refused write leaves the old file as it was.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageIo.writePng(file, sample(PixelType.FLOAT32, 1, 2, 2, 22)));
    assertTrue(e.getMessage().contains("PNG holds 8- or 16-bit integers, not FLOAT32; write float images as TIFF"),
        e.getMessage());
    assertEquals(second, ImageIo.read(file));
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of("a.png"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void pngRefusesMoreThanFourChannels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageIo.writePng(dir.resolve("a.png"), sample(PixelType.UINT8, 5, 2, 2, 23)));
    assertTrue(e.getMessage().contains("PNG holds 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels, not 5"),
        e.getMessage());
  }

  @Test
  void writeIntoAFileThatIsAFolderFailsWithThePath() throws IOException {
    Path blocker = dir.resolve("blocker");
    Files.writeString(blocker, "a file where a folder should be");
    Path file = blocker.resolve("a.tif");
    var e = assertThrows(java.io.UncheckedIOException.class,
        () -> ImageIo.writeTiff(file, sample(PixelType.UINT8, 1, 2, 2, 24)));
    assertTrue(e.getMessage().startsWith("cannot write " + file + ": "), e.getMessage());
  }

  // ------------------------------------------------------------------------------ read errors

  @Test
  void missingFile() {
    Path file = dir.resolve("nothing.tif");
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertEquals(file + ": no such file", e.getMessage());
    assertEquals(file, e.file());
  }

  @Test
  void textFileNamedTif() throws IOException {
    Path file = dir.resolve("notes.tif");
    Files.writeString(file, "hello, these are\nnotes, not pixels");
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertEquals(file + ": is not a TIFF file: it holds text (starting \"hello, these are notes, not pixe\")",
        e.getMessage());
  }

  @Test
  void unsupportedExtension() throws IOException {
    Path file = dir.resolve("cells.jpg");
    Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0});
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertTrue(e.getMessage().startsWith(file + ": unsupported format .jpg; unet4j reads TIFF (.tif, .tiff) and PNG"
        + " (.png) images"), e.getMessage());
    assertTrue(e.getMessage().contains("JPEG is lossy"), e.getMessage());
    Path bare = dir.resolve("cells");
    Files.write(bare, new byte[] {1});
    ImageReadException noExtension = assertThrows(ImageReadException.class, () -> ImageIo.pageCount(bare));
    assertTrue(noExtension.getMessage().startsWith(bare + ": has no file extension"), noExtension.getMessage());
  }

  @Test
  void emptyFileAndFolder() throws IOException {
    Path empty = dir.resolve("empty.png");
    Files.createFile(empty);
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.readPages(empty));
    assertEquals(empty + ": is empty (0 bytes)", e.getMessage());
    Path folder = Files.createDirectory(dir.resolve("folder.tif"));
    ImageReadException f = assertThrows(ImageReadException.class, () -> ImageIo.read(folder));
    assertEquals(folder + ": is a folder, not an image file", f.getMessage());
  }

  @Test
  void jpegNamedTifIsRecognised() throws IOException {
    Path file = dir.resolve("photo.tif");
    Files.write(file, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16});
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertTrue(e.getMessage().startsWith(file + ": is not a TIFF file: it is a JPEG"), e.getMessage());
  }

  @Test
  void truncatedPng() throws IOException {
    Path good = dir.resolve("good.png");
    ImageIo.writePng(good, sample(PixelType.UINT16, 3, 40, 30, 25));
    byte[] bytes = Files.readAllBytes(good);
    Path file = dir.resolve("cut.png");
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertTrue(e.getMessage().startsWith(file + ": cannot decode the PNG data (damaged or truncated file?): "),
        e.getMessage());
  }

  /** A signed 16-bit TIFF, as the JDK writes it from a signed raster (SampleFormat 2). */
  @Test
  void signedSixteenBitTiffIsRefused() throws IOException {
    ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_SHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(3, 2);
    raster.setSample(1, 1, 0, -5);
    Path file = dir.resolve("signed.tif");
    ImageIO.write(new BufferedImage(model, raster, false, null), "tiff", file.toFile());
    assertEquals(2L, firstIfd(Files.readAllBytes(file)).get(339), "the test file has SampleFormat 2");
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageIo.read(file));
    assertTrue(e.getMessage().startsWith(file + ": holds signed 16-bit integers (TIFF SampleFormat 2); unet4j reads"
        + " unsigned 8/16-bit integers and 32-bit floats"), e.getMessage());
  }

  // ---------------------------------------------------------------------------------- helpers

  /**
   * Deterministic samples covering each type's extremes: 0 and the maximum for integers; for
   * floats negative zero, the smallest subnormal, the largest float, infinities and NaN.
   */
  static Image sample(PixelType type, int channels, int width, int height, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[width * height * channels];
    float[] special = type == PixelType.FLOAT32
        ? new float[] {-0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NaN, 1e-30f, 0.1f}
        : new float[] {0, type.max(), 1, type.max() - 1};
    for (int i = 0; i < pixels.length; i++) {
      if (i < special.length) {
        pixels[i] = special[i];
      } else if (type == PixelType.FLOAT32) {
        pixels[i] = (float) (random.nextGaussian() * 1000);
      } else {
        pixels[i] = random.nextInt((int) type.max() + 1);
      }
    }
    return new Image(width, height, channels, type, pixels);
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(ImageIoTest.class.getClassLoader().getResource(name).toURI());
  }

  /** Tag -> first value of the first IFD of a classic TIFF, parsed by hand (TIFF 6.0, section 2). */
  static Map<Integer, Long> firstIfd(byte[] tiff) {
    ByteBuffer buffer = ByteBuffer.wrap(tiff);
    buffer.order(tiff[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    assertEquals(42, buffer.getShort(2), "TIFF magic");
    int ifd = buffer.getInt(4);
    int entries = Short.toUnsignedInt(buffer.getShort(ifd));
    Map<Integer, Long> tags = new HashMap<>();
    for (int e = 0; e < entries; e++) {
      int at = ifd + 2 + 12 * e;
      int tag = Short.toUnsignedInt(buffer.getShort(at));
      int fieldType = buffer.getShort(at + 2);
      long count = Integer.toUnsignedLong(buffer.getInt(at + 4));
      int size = switch (fieldType) {
        case 3 -> 2; // SHORT
        case 4 -> 4; // LONG
        default -> 0;
      };
      if (size == 0) {
        continue;
      }
      // Values of up to 4 bytes are stored in the entry, longer ones at the offset it holds.
      int valueAt = size * count <= 4 ? at + 8 : buffer.getInt(at + 8);
      tags.put(tag, size == 2 ? Short.toUnsignedLong(buffer.getShort(valueAt)) : Integer.toUnsignedLong(buffer.getInt(valueAt)));
    }
    return tags;
  }
}
