package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes TIFF and PNG images with the JDK's {@code javax.imageio} (TIFF plugin since
 * Java 9), keeping raw sample values: 16-bit samples come back unsigned (0..65535), floats exactly.
 *
 * <p><b>Reading.</b> TIFF: 8/16-bit unsigned integers or 32-bit floats (also 16-bit floats, widened),
 * gray, RGB, RGBA or any number of samples per pixel, uncompressed or LZW/Deflate/PackBits/JPEG,
 * one page or many (ISBI volumes). BigTIFF (over 4 GB): the same samples, uncompressed, Deflate or
 * LZW, in strips or tiles ({@link BigTiffReader}). PNG: 1/2/4/8/16-bit gray, gray + alpha, RGB,
 * RGBA, palette.
 * Palette images (PNG or TIFF) give their palette <em>indices</em>, one channel: label masks are
 * often stored that way, and the indices are the labels. The format is recognised from the file's
 * first bytes; the extension must be {@code .tif}, {@code .tiff} or {@code .png}. Everything else
 * (a missing or empty file, JPEG, signed or 32-bit integer samples, 64-bit floats) throws
 * {@link ImageReadException} naming the file and the problem.
 *
 * <p><b>Writing</b> is atomic: a temporary file in the same folder, renamed over the target, so a
 * reader never sees half a file and an interrupted write leaves the old one. Missing folders are
 * created. TIFF is written uncompressed: 1 channel as gray (PhotometricInterpretation BlackIsZero),
 * 3 as RGB, 4 as RGBA, any other count as BlackIsZero with that many samples per pixel; FLOAT32 as
 * 32-bit IEEE floats with SampleFormat 3, which Fiji/ImageJ opens as a 32-bit image. PNG holds
 * UINT8 or UINT16 with 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels.
 */
public final class ImageIo {
  /** The TIFF SampleFormat tag's values (TIFF 6.0, section 19). */
  private static final int SAMPLE_UNSIGNED = 1;
  private static final int SAMPLE_SIGNED = 2;
  private static final int SAMPLE_FLOAT = 3;

  private static final String READABLE = "unet4j reads TIFF (.tif, .tiff) and PNG (.png) images";

  private ImageIo() {}

  enum Format {
    TIFF("tiff"),
    /** Read by {@link BigTiffReader}: no JDK plugin reads it. */
    BIGTIFF("bigtiff"),
    PNG("png");

    final String imageIoName;

    Format(String imageIoName) {
      this.imageIoName = imageIoName;
    }
  }

  /** The first page of a TIFF, or a PNG. */
  public static Image read(Path file) {
    checkNotNull(file, "file");
    if (check(file) == Format.BIGTIFF) {
      try (ImageFile big = ImageFile.open(file)) {
        return big.readPage(0);
      }
    }
    return decode(file, (reader, format) -> {
      pages(file, reader);
      return page(file, reader, format, 0);
    });
  }

  /** Every page of a multi-page TIFF (an ISBI volume, say) in order; a PNG is one page. */
  public static List<Image> readPages(Path file) {
    checkNotNull(file, "file");
    if (check(file) == Format.BIGTIFF) {
      try (ImageFile big = ImageFile.open(file)) {
        return allPages(big);
      }
    }
    return decode(file, (reader, format) -> allPages(file, reader, format));
  }

  private static List<Image> allPages(Path file, ImageReader reader, Format format) throws IOException {
    int count = pages(file, reader);
    List<Image> pages = new ArrayList<>(count);
    for (int page = 0; page < count; page++) {
      pages.add(page(file, reader, format, page));
    }
    return List.copyOf(pages);
  }

  private static List<Image> allPages(ImageFile file) {
    List<Image> pages = new ArrayList<>(file.pageCount());
    for (int page = 0; page < file.pageCount(); page++) {
      pages.add(file.readPage(page));
    }
    return List.copyOf(pages);
  }

  /**
   * Every page of a TIFF or PNG held in memory: a file's bytes read by something other than
   * unet4j (a Spark {@code binaryFile} row, an HTTP body), decoded as {@link #readPages(Path)}
   * decodes the file. The format is recognised from the first bytes alone.
   *
   * @param origin names the bytes in errors: the file they came from, or a column
   * @throws ImageReadException when the bytes are empty, not a TIFF or PNG, damaged, or hold
   *     samples unet4j does not read
   */
  public static List<Image> readPages(byte[] content, Path origin) {
    checkNotNull(content, "content");
    checkNotNull(origin, "origin");
    if (content.length == 0) {
      throw new ImageReadException(origin, "is empty (0 bytes)");
    }
    Format format = sniff(content);
    if (format == null) {
      throw new ImageReadException(origin, "is not a TIFF or PNG image: "
          + whatItIs(Arrays.copyOf(content, Math.min(32, content.length))));
    }
    if (format == Format.BIGTIFF) {
      try (ImageFile big = ImageFile.open(origin, new MemoryCacheImageInputStream(new ByteArrayInputStream(content)),
          content.length)) {
        return allPages(big);
      }
    }
    return decode(origin, format, () -> new MemoryCacheImageInputStream(new ByteArrayInputStream(content)),
        (reader, f) -> allPages(origin, reader, f));
  }

  /** The number of pages of a TIFF; 1 for a PNG. */
  public static int pageCount(Path file) {
    checkNotNull(file, "file");
    if (check(file) == Format.BIGTIFF) {
      try (ImageFile big = ImageFile.open(file)) {
        return big.pageCount();
      }
    }
    return decode(file, (reader, format) -> pages(file, reader));
  }

  /** Writes a one-page TIFF; see the class comment for the layout. */
  public static void writeTiff(Path file, Image image) {
    checkNotNull(image, "image");
    writeTiffPages(file, List.of(image));
  }

  /** Writes a multi-page TIFF, one page per image (pages may differ in size and type). */
  public static void writeTiffPages(Path file, List<Image> pages) {
    checkNotNull(file, "file");
    checkNotNull(pages, "pages");
    checkArgument(!pages.isEmpty(), "a TIFF file needs at least one page, got none");
    List<BufferedImage> pictures = pages.stream().map(p -> picture(p, Format.TIFF)).toList();
    AtomicFiles.writeFile(file, temporary -> {
      ImageWriter writer = writer(Format.TIFF);
      try (ImageOutputStream out = ImageIO.createImageOutputStream(temporary.toFile())) {
        writer.setOutput(out);
        writer.prepareWriteSequence(null);
        for (BufferedImage picture : pictures) {
          writer.writeToSequence(new IIOImage(picture, null, null), null);
        }
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
    });
  }

  /**
   * Writes a UINT8 or UINT16 image with 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels
   * as PNG.
   *
   * @throws IllegalArgumentException for FLOAT32 (write it as TIFF) or more than 4 channels
   */
  public static void writePng(Path file, Image image) {
    checkNotNull(file, "file");
    checkNotNull(image, "image");
    checkArgument(image.type().isInteger(), "PNG holds 8- or 16-bit integers, not %s; write float images as TIFF",
        image.type());
    checkArgument(image.channels() <= 4,
        "PNG holds 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels, not %s; write it as TIFF",
        image.channels());
    writePng(file, picture(image, Format.PNG));
  }

  /** Writes a picture for people (a false-colour map, an overlay) as PNG. */
  public static void writePng(Path file, BufferedImage picture) {
    checkNotNull(file, "file");
    checkNotNull(picture, "picture");
    AtomicFiles.writeFile(file, temporary -> {
      if (!ImageIO.write(picture, "png", temporary.toFile())) {
        throw new IllegalArgumentException("the JDK has no PNG writer for pictures of type " + picture.getType()
            + " (" + picture.getColorModel() + ")");
      }
    });
  }

  /**
   * Writes a picture as PNG straight to {@code file} (not atomically: for a temporary file the
   * caller renames with {@link AtomicFiles#moveInPlace}). The JDK's PNG writer asks the picture
   * for one row at a time from the top, so a picture that computes its rows on demand is written
   * without being held in memory.
   */
  public static void writePngTo(Path file, RenderedImage picture) {
    checkNotNull(file, "file");
    checkNotNull(picture, "picture");
    try {
      if (!ImageIO.write(picture, "png", file.toFile())) {
        throw new IllegalArgumentException("the JDK has no PNG writer for pictures with the colour model "
            + picture.getColorModel());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + describe(e), e);
    }
  }

  // ---------------------------------------------------------------------------------- reading

  @FunctionalInterface
  private interface Decoding<T> {
    T apply(ImageReader reader, Format format) throws IOException;
  }

  /** Opens the stream of the bytes to decode; null when it cannot be opened. */
  @FunctionalInterface
  private interface Opening {
    @Nullable ImageInputStream open() throws IOException;
  }

  private static <T> T decode(Path file, Decoding<T> decoding) {
    return decode(file, check(file), () -> ImageIO.createImageInputStream(file.toFile()), decoding);
  }

  private static <T> T decode(Path file, Format format, Opening opening, Decoding<T> decoding) {
    ImageReader reader = reader(format);
    try (ImageInputStream in = opening.open()) {
      if (in == null) {
        throw new ImageReadException(file, "cannot open the file");
      }
      // ignoreMetadata: the TIFF reader then parses only the tags it needs to decode (SampleFormat
      // and BitsPerSample among them) and skips the rest, which real files get wrong: BBBC039's
      // MetaMorph TIFFs carry a 21-byte DateTime (TIFF says 20) that the full parse refuses.
      reader.setInput(in, false, true);
      return decoding.apply(reader, format);
    } catch (ImageReadException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The plugins throw IIOException for truncated data, and sometimes runtime exceptions for
      // corrupt headers; either way the file is damaged, not the caller's code.
      throw new ImageReadException(file, "cannot decode the " + format + " data (damaged or truncated file?): "
          + describe(e), e);
    } finally {
      reader.dispose();
    }
  }

  /** Existence, extension and magic number; returns the format the content has. */
  static Format check(Path file) {
    if (Files.isDirectory(file)) {
      throw new ImageReadException(file, "is a folder, not an image file");
    }
    if (!Files.exists(file)) {
      throw new ImageReadException(file, "no such file");
    }
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    Format named = switch (extension) {
      case "tif", "tiff" -> Format.TIFF;
      case "png" -> Format.PNG;
      case "" -> throw new ImageReadException(file, "has no file extension; " + READABLE);
      default -> throw new ImageReadException(file, "unsupported format ." + extension + "; " + READABLE
          + (extension.equals("jpg") || extension.equals("jpeg")
              ? " (JPEG is lossy: it blurs label values, so store labels as PNG or TIFF)" : ""));
    };
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(32);
    } catch (IOException e) {
      throw new ImageReadException(file, "cannot open: " + describe(e), e);
    }
    if (head.length == 0) {
      throw new ImageReadException(file, "is empty (0 bytes)");
    }
    Format content = sniff(head);
    if (content == null) {
      throw new ImageReadException(file, "is not a " + named + " file: " + whatItIs(head));
    }
    // A PNG named .tif (or the reverse) is read for what it is.
    return content;
  }

  private static @Nullable Format sniff(byte[] head) {
    if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Format.PNG;
    }
    if (startsWith(head, 'I', 'I', 42, 0) || startsWith(head, 'M', 'M', 0, 42)) {
      return Format.TIFF;
    }
    if (startsWith(head, 'I', 'I', 43, 0) || startsWith(head, 'M', 'M', 0, 43)) {
      return Format.BIGTIFF;
    }
    return null;
  }

  private static String whatItIs(byte[] head) {
    if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
      return "it is a JPEG; " + READABLE;
    }
    if (startsWith(head, 'G', 'I', 'F', '8')) {
      return "it is a GIF; " + READABLE;
    }
    if (startsWith(head, 'B', 'M')) {
      return "it is a BMP; " + READABLE;
    }
    boolean text = true;
    for (byte b : head) {
      text &= b == '\n' || b == '\r' || b == '\t' || (b >= 0x20 && b < 0x7F);
    }
    if (text) {
      String start = new String(head, StandardCharsets.US_ASCII).replaceAll("\\s+", " ").strip();
      return "it holds text (starting \"" + start + "\")";
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(8, head.length); i++) {
      hex.append(String.format(Locale.ROOT, "%02X ", head[i] & 0xFF));
    }
    return "it starts with the bytes " + hex.toString().strip() + " (a TIFF starts with 49 49 2A 00 or 4D 4D 00 2A,"
        + " a PNG with 89 50 4E 47)";
  }

  private static boolean startsWith(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static int pages(Path file, ImageReader reader) throws IOException {
    int count = reader.getNumImages(true);
    if (count < 1) {
      throw new ImageReadException(file, "the file holds no image (no pages)");
    }
    return count;
  }

  private static Image page(Path file, ImageReader reader, Format format, int page) throws IOException {
    if (format == Format.TIFF) {
      checkTiffSamples(file, reader, page);
    }
    PageLimits.checkHeader(file, reader, format, page, true);
    Raster raster = reader.read(page).getRaster();
    PixelType type = pixelType(file, raster, page);
    int width = raster.getWidth();
    int height = raster.getHeight();
    // getPixels gives channels-last, row-major samples; bytes and shorts unsigned.
    float[] pixels = raster.getPixels(raster.getMinX(), raster.getMinY(), width, height, (float[]) null);
    return new Image(width, height, raster.getNumBands(), type, pixels);
  }

  /** Refuses sample formats a float image would misread: signed, 32-bit integer, 64-bit float. */
  static void checkTiffSamples(Path file, ImageReader reader, int page) throws IOException {
    TIFFDirectory ifd = TIFFDirectory.createFromMetadata(reader.getImageMetadata(page));
    int sampleFormat = maxValue(ifd.getTIFFField(BaselineTIFFTagSet.TAG_SAMPLE_FORMAT), SAMPLE_UNSIGNED);
    int bits = maxValue(ifd.getTIFFField(BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE), 1);
    String where = pageName(page);
    if (sampleFormat == SAMPLE_SIGNED) {
      throw new ImageReadException(file, where + "holds signed " + bits + "-bit integers (TIFF SampleFormat 2);"
          + " unet4j reads unsigned 8/16-bit integers and 32-bit floats: save it as unsigned " + bits + "-bit,"
          + " or as 32-bit float where the values are negative");
    }
    if (sampleFormat == SAMPLE_FLOAT && bits > 32) {
      throw new ImageReadException(file, where + "holds " + bits + "-bit floats; unet4j reads 32-bit floats:"
          + " save it as 32-bit float");
    }
    if (sampleFormat != SAMPLE_FLOAT && bits > 16) {
      throw new ImageReadException(file, where + "holds " + bits + "-bit integers; unet4j reads 8/16-bit unsigned"
          + " integers and 32-bit floats (a float is exact only up to 2^24): save it as 16-bit, or as 32-bit float");
    }
  }

  private static int maxValue(@Nullable TIFFField field, int absent) {
    if (field == null) {
      return absent;
    }
    int max = 0;
    for (int i = 0; i < field.getCount(); i++) {
      max = Math.max(max, field.getAsInt(i));
    }
    return max;
  }

  private static PixelType pixelType(Path file, Raster raster, int page) {
    return pixelType(file, raster.getSampleModel(), page);
  }

  /** The pixel type of samples laid out by {@code samples}; refuses the types unet4j does not read. */
  static PixelType pixelType(Path file, SampleModel samples, int page) {
    int maxBits = Arrays.stream(samples.getSampleSize()).max().orElse(0);
    switch (samples.getDataType()) {
      case DataBuffer.TYPE_BYTE:
        return PixelType.UINT8;
      case DataBuffer.TYPE_USHORT:
        return PixelType.UINT16;
      case DataBuffer.TYPE_FLOAT:
        return PixelType.FLOAT32;
      case DataBuffer.TYPE_INT:
        // Packed pixels (a few bits per sample in one int) are unsigned; whole ints are not read.
        if (maxBits <= 8) {
          return PixelType.UINT8;
        }
        if (maxBits <= 16) {
          return PixelType.UINT16;
        }
        throw new ImageReadException(file, pageName(page) + "holds 32-bit integers; unet4j reads 8/16-bit unsigned"
            + " integers and 32-bit floats");
      case DataBuffer.TYPE_SHORT:
        throw new ImageReadException(file, pageName(page) + "holds signed 16-bit integers; unet4j reads unsigned"
            + " 8/16-bit integers and 32-bit floats: save it as unsigned 16-bit");
      case DataBuffer.TYPE_DOUBLE:
        throw new ImageReadException(file, pageName(page) + "holds 64-bit floats; save it as 32-bit float");
      default:
        throw new ImageReadException(file, pageName(page) + "holds samples of an unknown type ("
            + samples.getDataType() + ")");
    }
  }

  static String pageName(int page) {
    return page == 0 ? "" : "page " + (page + 1) + " ";
  }

  static ImageReader reader(Format format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
    if (!readers.hasNext()) {
      throw new IllegalStateException("this Java runtime has no " + format + " reader (javax.imageio); use Java 17+");
    }
    return readers.next();
  }

  // ---------------------------------------------------------------------------------- writing

  private static ImageWriter writer(Format format) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName);
    if (!writers.hasNext()) {
      throw new IllegalStateException("this Java runtime has no " + format + " writer (javax.imageio); use Java 17+");
    }
    return writers.next();
  }

  /** The image as a picture the JDK writers take: interleaved samples of the image's type. */
  private static BufferedImage picture(Image image, Format format) {
    int channels = image.channels();
    int transferType = switch (image.type()) {
      case UINT8 -> DataBuffer.TYPE_BYTE;
      case UINT16 -> DataBuffer.TYPE_USHORT;
      case FLOAT32 -> DataBuffer.TYPE_FLOAT;
    };
    ColorSpace space;
    boolean alpha;
    if (channels == 1 || (channels == 2 && format == Format.PNG)) {
      space = ColorSpace.getInstance(ColorSpace.CS_GRAY);
      alpha = channels == 2;
    } else if (channels == 3 || channels == 4) {
      space = ColorSpace.getInstance(ColorSpace.CS_sRGB);
      alpha = channels == 4;
    } else {
      // No colour meaning: the TIFF writer stores n samples per pixel as BlackIsZero.
      space = new ChannelSpace(channels);
      alpha = false;
    }
    ColorModel model = new ComponentColorModel(space, alpha, false,
        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, transferType);
    WritableRaster raster = model.createCompatibleWritableRaster(image.width(), image.height());
    raster.setPixels(0, 0, image.width(), image.height(), image.pixels());
    return new BufferedImage(model, raster, false, null);
  }

  static String describe(Exception e) {
    if (e instanceof AccessDeniedException a) {
      return "permission denied (" + a.getFile() + ")";
    }
    if (e instanceof NoSuchFileException n) {
      return "no such file or folder (" + n.getFile() + ")";
    }
    if (e instanceof FileSystemException f) {
      return (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName()) + " (" + f.getFile() + ")";
    }
    String message = e.getMessage();
    if (e.getCause() != null && e.getCause().getMessage() != null && e.getCause() != e) {
      message = (message == null ? "" : message + ": ") + e.getCause().getMessage();
    }
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /**
   * A colour space that only counts channels, for images that are not gray or RGB(A): the writers
   * need one to describe the samples, and never convert the colours.
   */
  private static final class ChannelSpace extends ColorSpace {
    private static final long serialVersionUID = 1L;

    ChannelSpace(int channels) {
      super(Math.min(ColorSpace.TYPE_FCLR, ColorSpace.TYPE_2CLR + channels - 2), channels);
    }

    @Override
    public float[] toRGB(float[] value) {
      return new float[] {value[0], value[0], value[0]};
    }

    @Override
    public float[] fromRGB(float[] rgb) {
      float[] value = new float[getNumComponents()];
      Arrays.fill(value, (rgb[0] + rgb[1] + rgb[2]) / 3);
      return value;
    }

    @Override
    public float[] toCIEXYZ(float[] value) {
      return ColorSpace.getInstance(ColorSpace.CS_sRGB).toCIEXYZ(toRGB(value));
    }

    @Override
    public float[] fromCIEXYZ(float[] xyz) {
      return fromRGB(ColorSpace.getInstance(ColorSpace.CS_sRGB).fromCIEXYZ(xyz));
    }
  }
}
