package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.labels.Outline;
import org.unet4j.labels.Outlines;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.ImageJRois;
import org.unet4j.recipes.data.PageSource;
import org.unet4j.recipes.data.PixelType;

/**
 * Writes the per-object outputs ({@link ObjectOutput}) of a finished prediction from its files:
 * the ROI set {@code NAME_rois.zip} ({@link ImageJRois}, from {@link Outlines} of each label
 * page) and the table {@code NAME_objects.csv} ({@link ObjectMeasurements}, in the input's
 * calibrated units). They are read back from {@code NAME_labels.tif} and {@code NAME_prob.tif}
 * rather than taken from the prediction, so they are the same whether a page was predicted in
 * memory or streamed, and can be made again later from the files alone.
 *
 * <p><b>Memory.</b> Measurements read the pages by bands of rows. Tracing outlines needs a whole
 * label page at a time (about 8 bytes per pixel).
 */
public final class ObjectFiles {
  private ObjectFiles() {}

  /**
   * Writes {@code outputs} of the prediction of {@code input} whose files are {@code files}; each
   * file is written atomically. Nothing is written for an empty set.
   *
   * @param probabilityOf the class whose probability {@code files} holds; the measurements' mean
   *     probability is always the objects' (foreground) probability
   * @param calibration the input's pixel size, for the measurements' units
   * @throws org.unet4j.recipes.data.ImageReadException when the input or the predicted files
   *     cannot be read
   * @throws org.unet4j.recipes.data.DataException when they differ in size or page count
   */
  public static void write(Path input, PredictionFiles files, Set<ObjectOutput> outputs, ProbabilityOf probabilityOf,
      Calibration calibration) {
    checkNotNull(input, "input");
    checkNotNull(probabilityOf, "probabilityOf");
    checkNotNull(files, "files");
    checkNotNull(outputs, "outputs");
    checkNotNull(calibration, "calibration");
    if (outputs.isEmpty()) {
      return;
    }
    List<List<Outline>> outlines = new ArrayList<>();
    List<ObjectMeasurement> objects = new ArrayList<>();
    try (ImageFile labels = ImageFile.open(files.labels());
        ImageFile probabilities = ImageFile.open(files.probabilities());
        ImageFile image = ImageFile.open(input)) {
      if (labels.pageCount() != image.pageCount() || probabilities.pageCount() != image.pageCount()) {
        throw new DataException(input + " has " + image.pageCount() + " page(s) but "
            + files.labels().getFileName() + " " + labels.pageCount() + " and " + files.probabilities().getFileName()
            + " " + probabilities.pageCount() + ": they are not the prediction of this image");
      }
      for (int page = 0; page < image.pageCount(); page++) {
        PageSource labelPage = labels.page(page);
        if (outputs.contains(ObjectOutput.ROIS)) {
          // readPage checks that the whole page fits in the heap before reading it.
          outlines.add(Outlines.trace(labels.readPage(page).channelAsInts(0), labelPage.width(), labelPage.height()));
        }
        if (outputs.contains(ObjectOutput.MEASUREMENTS)) {
          objects.addAll(ObjectMeasurements.measure(page + 1, labelPage, image.page(page),
              new ForegroundPage(probabilities.page(page), probabilityOf)));
        }
      }
    }
    if (outputs.contains(ObjectOutput.ROIS)) {
      ImageJRois.write(files.rois(), outlines);
    }
    if (outputs.contains(ObjectOutput.MEASUREMENTS)) {
      ObjectMeasurements.writeCsv(files.objects(), objects, calibration);
    }
  }

  /** A written probability page read as the foreground's, whichever class's probability the file holds. */
  private record ForegroundPage(PageSource written, ProbabilityOf probabilityOf) implements PageSource {
    @Override
    public int width() {
      return written.width();
    }

    @Override
    public int height() {
      return written.height();
    }

    @Override
    public int channels() {
      return written.channels();
    }

    @Override
    public PixelType type() {
      return written.type();
    }

    @Override
    public Image rows(int fromRow, int toRow) {
      Image rows = written.rows(fromRow, toRow);
      return probabilityOf == ProbabilityOf.FOREGROUND ? rows
          : Image.gray(rows.width(), rows.height(), rows.type(), probabilityOf.toForeground(rows.pixels()));
    }
  }
}
