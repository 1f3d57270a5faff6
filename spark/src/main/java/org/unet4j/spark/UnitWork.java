package org.unet4j.spark;

import java.util.ArrayList;
import java.util.List;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PageSource;
import org.unet4j.recipes.data.VolumeSource;
import org.unet4j.recipes.infer.PredictedImage;
import org.unet4j.recipes.infer.Predictor;
import org.unet4j.recipes.infer.ProbabilityMap;
import org.unet4j.recipes.infer.TileProgress;

/**
 * Runs the work units of one task on an executor. A unit that fails on its input (unreadable
 * pixels, wrong channel count, too many objects for 16-bit labels) becomes a failed result and
 * the task goes on; a model that cannot be opened fails the task, since no unit could succeed.
 */
final class UnitWork {
  private UnitWork() {}

  /** Runs {@code units} in order; {@code counters} count the whole images done. */
  static List<UnitResult> run(List<WorkUnit> units, BatchSettings settings, JobCounters counters) {
    Predictor predictor = PredictorCache.get(settings.model(), settings.inference());
    List<UnitResult> results = new ArrayList<>(units.size());
    for (WorkUnit unit : units) {
      UnitResult result = run(unit, settings, predictor);
      // A split image is counted when it is assembled (or found failed) instead.
      if (unit.whole()) {
        counters.imageDone(result.succeeded());
      }
      results.add(result);
    }
    return results;
  }

  /**
   * The normalisation statistics of page {@code page} of {@code image}, read by bands: computed
   * once for the row bands of a page that is split.
   *
   * @throws org.unet4j.recipes.data.ImageReadException when the page cannot be read
   */
  static BandNormalization normalization(WorkUnit part, BatchSettings settings) {
    Predictor predictor = PredictorCache.get(settings.model(), settings.inference());
    try (ImageFile file = open(part)) {
      return BandNormalization.of(part.kind() == WorkUnit.Kind.PLANES
          ? predictor.volumes().normalization(VolumeSource.of(file))
          : predictor.normalization(file.page(part.fromPage())));
    }
  }

  private static UnitResult run(WorkUnit unit, BatchSettings settings, Predictor predictor) {
    long began = System.nanoTime();
    try {
      switch (unit.kind()) {
        case IMAGE: {
          PredictedImage done = predictor.predictFile(unit.image().file(), unit.image().name(), settings.outFolder(),
              settings.objectOutputs(), task -> TileProgress.NONE);
          return new UnitResult(unit, null, new ImageStats(done.objects(), done.foregroundFraction()),
              ImageSurvey.since(began));
        }
        case PAGES:
          predictPages(unit, settings, predictor);
          return new UnitResult(unit, null, null, ImageSurvey.since(began));
        case PLANES:
          try (ImageFile file = open(unit)) {
            predictor.volumes().predictPart(VolumeSource.of(file), wholeNormalization(unit).stats(),
                unit.fromPage(), unit.toPage(), new PartFiles(settings.outFolder(), unit.image().name())
                    .planes(unit.fromPage()));
          }
          return new UnitResult(unit, null, null, ImageSurvey.since(began));
        default:
          predictRows(unit, settings, predictor);
          return new UnitResult(unit, null, null, ImageSurvey.since(began));
      }
    } catch (RuntimeException e) {
      return new UnitResult(unit, UnitResult.reason(e), null, ImageSurvey.since(began));
    }
  }

  /** Each page's foreground probabilities, as a part file for the assembly. */
  private static void predictPages(WorkUnit unit, BatchSettings settings, Predictor predictor) {
    PartFiles parts = new PartFiles(settings.outFolder(), unit.image().name());
    try (ImageFile file = open(unit)) {
      for (int page = unit.fromPage(); page < unit.toPage(); page++) {
        Image image = file.readPage(page);
        checkChannels(unit, page, image.channels(), predictor);
        ProbabilityMap map = predictor.predict(image);
        ImageIo.writeTiff(parts.page(page), map.foregroundImage());
      }
    }
  }

  /** The foreground probabilities of a band of rows, as a part file for the assembly. */
  private static void predictRows(WorkUnit unit, BatchSettings settings, Predictor predictor) {
    BandNormalization normalization = wholeNormalization(unit);
    PartFiles parts = new PartFiles(settings.outFolder(), unit.image().name());
    try (ImageFile file = open(unit)) {
      PageSource page = file.page(unit.fromPage());
      checkChannels(unit, unit.fromPage(), page.channels(), predictor);
      ProbabilityMap band = predictor.predictRows(page, normalization.stats(), unit.fromRow(), unit.toRow(),
          TileProgress.NONE);
      ImageIo.writeTiff(parts.rows(unit.fromPage(), unit.fromRow()), band.foregroundImage());
    }
  }

  /** The normalisation of the page or volume {@code unit} is a part of, computed before it runs. */
  private static BandNormalization wholeNormalization(WorkUnit unit) {
    BandNormalization normalization = unit.normalization();
    if (normalization == null) {
      throw new IllegalStateException(unit.describe() + ": the normalisation of its "
          + (unit.kind() == WorkUnit.Kind.PLANES ? "volume" : "page") + " was not computed");
    }
    return normalization;
  }

  private static ImageFile open(WorkUnit unit) {
    ImageFile file = ImageFile.open(unit.image().file());
    if (file.pageCount() != unit.pages()) {
      int pages = file.pageCount();
      file.close();
      throw new DataException(unit.image().path() + " has " + pages + " pages now but had "
          + unit.pages() + " when the job started; was it replaced meanwhile?");
    }
    return file;
  }

  private static void checkChannels(WorkUnit unit, int page, int channels, Predictor predictor) {
    int expected = predictor.recipe().model().inputChannels();
    if (channels != expected) {
      throw new DataException(unit.image().path() + (unit.pages() > 1 ? " page " + (page + 1) : "")
          + " has " + channels + " channel(s) but the model reads " + expected + " (model.inputChannels)");
    }
  }
}
