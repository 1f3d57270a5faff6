package org.unet4j.recipes.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The physical size of a pixel: what Fiji's Image &gt; Properties shows as pixel width, height and
 * voxel depth (the spacing of a stack's pages) in a unit such as {@code micron}. Read from an input
 * TIFF ({@link #read}) and written into every TIFF prediction output ({@link StripTiffWriter}), so
 * that labels and probabilities open in Fiji at the input's scale.
 *
 * <p>{@link #NONE} means "not known": sizes 1 in {@code pixel}s, which is what Fiji shows for an
 * uncalibrated image. Microns are spelt {@code micron}, as ImageJ writes them ({@code um} and
 * {@code µm} are read as microns).
 *
 * @param pixelWidth the width of a pixel in {@code unit}s, positive
 * @param pixelHeight the height of a pixel in {@code unit}s, positive
 * @param pixelDepth the spacing of pages (z) in {@code unit}s, positive; 1 where unknown
 * @param unit the unit's name, such as {@code micron}, {@code nm}, {@code mm} or {@code pixel}
 */
public record Calibration(double pixelWidth, double pixelHeight, double pixelDepth, String unit) {
  /** No calibration known: 1 pixel per pixel. */
  public static final Calibration NONE = new Calibration(1, 1, 1, "pixel");

  /** The unit name of microns, as ImageJ writes it. */
  public static final String MICRON = "micron";

  public Calibration {
    checkNotNull(unit, "unit");
    checkArgument(positive(pixelWidth) && positive(pixelHeight) && positive(pixelDepth),
        "pixel sizes must be positive finite numbers, got %s x %s x %s", pixelWidth, pixelHeight, pixelDepth);
    unit = unitName(unit);
    checkArgument(!unit.isEmpty() && unit.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || c == '='),
        "a unit is a word such as micron, nm or mm, got \"%s\"", unit);
  }

  /** A calibration of square pixels {@code pixelSize} wide, one plane deep. */
  public static Calibration square(double pixelSize, String unit) {
    return new Calibration(pixelSize, pixelSize, 1, unit);
  }

  /**
   * The calibration a TIFF file carries: OME-XML's {@code PhysicalSizeX/Y/Z} (with their units,
   * microns by default), else ImageJ's {@code unit=} and {@code spacing=} with XResolution and
   * YResolution, else XResolution and YResolution in centimetres or inches (ResolutionUnit 3 or
   * 2). Classic TIFF and BigTIFF. {@link #NONE} for a PNG, a file that cannot be read, a TIFF
   * without a unit, or tags that do not make sense (a zero resolution, say): a missing
   * calibration never stops a prediction, and the pixels' reader reports a damaged file.
   */
  public static Calibration read(Path file) {
    checkNotNull(file, "file");
    return TiffCalibration.read(file);
  }

  /** Whether a physical size is known, that is the unit is not {@code pixel}. */
  public boolean calibrated() {
    return !unit.equals(NONE.unit);
  }

  /** The area of one pixel in square units. */
  public double pixelArea() {
    return pixelWidth * pixelHeight;
  }

  private static boolean positive(double v) {
    return v > 0 && Double.isFinite(v);
  }

  /** ImageJ's spelling of the usual names of a micron; other units as given. */
  private static String unitName(String unit) {
    String u = unit.strip();
    return switch (u.toLowerCase(Locale.ROOT)) {
      case "micron", "microns", "um", "\u00B5m", "\u03BCm" -> MICRON;
      default -> u;
    };
  }
}
