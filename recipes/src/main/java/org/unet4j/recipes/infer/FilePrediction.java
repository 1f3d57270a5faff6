package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;


import com.google.common.collect.Sets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.NormalizationSpec;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PageSource;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.StripTiffWriter;
import org.unet4j.recipes.data.TiffVariant;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * Prediction of image files, on top of a {@link Predictor}'s model on tiles: every page of a file
 * into {@code NAME_prob.tif}, {@code NAME_labels.tif} and the overlays, and for a net of 3 or more
 * classes the class files ({@link PredictionFiles}).
 * A one-page file under the streaming policy's size is predicted in memory; larger pages and every
 * page of a stack are read, predicted, labelled ({@link BandLabelling}) and written by bands of
 * rows, with the same results and the memory of a band ({@link StreamingPolicy}); the pages of a
 * net of 3 or more classes, or with an {@code inference.instanceClass}, are predicted in memory one
 * after another, since their class maps and instances need a whole page. The TIFFs carry
 * the input's {@link Calibration}; the per-object outputs asked for ({@link ObjectOutput}) are
 * written last, from the finished files ({@link ObjectFiles}).
 */
public final class FilePrediction {
  private final Predictor predictor;
  private final StreamingPolicy streaming;
  private final Set<ObjectOutput> objectOutputs;

  /** File prediction with {@code predictor}'s model and inference settings, streamed as {@code streaming} says. */
  public FilePrediction(Predictor predictor, StreamingPolicy streaming) {
    this(predictor, streaming, Set.of());
  }

  /**
   * File prediction with {@code predictor}'s model and inference settings, streamed as
   * {@code streaming} says, that also writes {@code objectOutputs} for every file.
   */
  public FilePrediction(Predictor predictor, StreamingPolicy streaming, Set<ObjectOutput> objectOutputs) {
    this.predictor = checkNotNull(predictor, "predictor");
    this.streaming = checkNotNull(streaming, "streaming");
    this.objectOutputs = Sets.immutableEnumSet(objectOutputs);
  }

  /**
   * Predicts every page of the image {@code file} and writes {@code NAME_prob.tif},
   * {@code NAME_labels.tif} (both with the input's calibration), the overlays and the per-object
   * outputs asked for into {@code folder} ({@link PredictionFiles}; each
   * file is written under a temporary name and renamed, so a file of an output name is always
   * complete). A one-page file under the streaming policy's size is predicted in memory; larger
   * pages and every page of a stack are streamed by bands of rows, with the same results and the
   * memory of a band ({@link StreamingPolicy}); with {@code inference.thinBoundaries}, of a page, since
   * thinning floods a whole page.
   *
   * @param name the output name, usually the file's name without its extension
   * @param progress the progress of each page, given a task name such as {@code "a.tif page 2/5"}
   * @throws org.unet4j.recipes.data.ImageReadException when the file cannot be read
   * @throws org.unet4j.dsl.InvalidInputException when a page's channels differ from the model's input or a
   *     page has more objects than 16-bit labels hold
   */
  public PredictedImage predict(Path file, String name, Path folder, Function<String, TileProgress> progress) {
    checkNotNull(file, "file");
    checkNotNull(name, "name");
    checkNotNull(folder, "folder");
    checkNotNull(progress, "progress");
    int channels = predictor.recipe().model().inputChannels();
    long began = System.nanoTime();
    PredictionFiles files;
    Counts counts;
    PageSource first;
    int pageCount;
    try (ImageFile in = ImageFile.open(file)) {
      List<PageSource> pages = new ArrayList<>(in.pageCount());
      for (int page = 0; page < in.pageCount(); page++) {
        PageSource source = in.page(page);
        if (source.channels() != channels) {
          throw new ModelMismatchException(file + (in.pageCount() == 1 ? "" : " page " + (page + 1)) + " has "
              + source.channels() + " channel(s) but the model reads " + channels + " (model.inputChannels)");
        }
        pages.add(source);
      }
      first = pages.get(0);
      pageCount = pages.size();
      files = PredictionFiles.of(folder, name, pageCount);
      Calibration calibration = Calibration.read(file);
      // Band labelling knows the foreground alone: class maps and class-seeded or per-class instances need
      // whole pages (asking for instances per class implies 3 or more classes, Predictor.open checks).
      boolean classes = predictor.classes() >= 3 || predictor.inference().instanceClass() > 0;
      boolean whole = classes
          || (pages.size() == 1 && (long) first.width() * first.height() < streaming.minPixels());
      counts = whole ? predictWhole(pages, name, files, calibration, progress)
          : predictStreamed(pages, name, files, calibration, progress);
      ObjectFiles.write(file, files, objectOutputs, predictor.inference().probabilityOf(), calibration);
    }
    return new PredictedImage(name, file, first.width(), first.height(), pageCount, counts.objects,
        (double) counts.foreground / counts.pixels, counts.tiles, (System.nanoTime() - began) / 1e9, files);
  }

  private static long pixels(List<PageSource> pages) {
    long pixels = 0;
    for (PageSource page : pages) {
      pixels += (long) page.width() * page.height();
    }
    return pixels;
  }

  /** What a prediction of a file found. */
  private static final class Counts {
    long tiles;
    long objects;
    long foreground;
    long pixels;
  }

  /** Pages in memory, one after another: maps, labels, the JDK's writers. */
  private Counts predictWhole(List<PageSource> pages, String name, PredictionFiles files, Calibration calibration,
      Function<String, TileProgress> progress) {
    Counts counts = new Counts();
    List<Image> images = new ArrayList<>(pages.size());
    List<ProbabilityMap> maps = new ArrayList<>(pages.size());
    List<InstanceLabels> labels = new ArrayList<>(pages.size());
    List<List<InstanceLabels>> classLabels = new ArrayList<>();
    for (int page = 0; page < pages.size(); page++) {
      Image image = pages.get(page).all();
      String task = pages.size() == 1 ? name : name + " page " + (page + 1) + "/" + pages.size();
      ProbabilityMap map = predictor.postProcessed(predictor.predict(image, progress.apply(task)));
      InstanceLabels instances = predictor.labels(map);
      counts.tiles += predictor.tileCount(image.width(), image.height());
      counts.objects += instances.cellCount();
      for (int value : instances.toArray()) {
        if (value != 0) {
          counts.foreground++;
        }
      }
      counts.pixels += (long) image.width() * image.height();
      images.add(image);
      maps.add(map);
      labels.add(instances);
      if (predictor.inference().instancesPerClass()) {
        classLabels.add(predictor.classInstances(map));
      }
    }
    files.write(images, maps, labels, classLabels, predictor.inference().probabilityOf(), calibration);
    return counts;
  }

  /**
   * Page after page, each by bands: probabilities and provisional labels are written as the bands
   * are finished, then the labels are resolved and written and the overlay drawn from them
   * ({@link BandLabelling}). Every output goes to a temporary file renamed when all pages are done.
   */
  private Counts predictStreamed(List<PageSource> pages, String name, PredictionFiles files, Calibration calibration,
      Function<String, TileProgress> progress) {
    Counts counts = new Counts();
    List<Path> overlays = new ArrayList<>();
    long pixels = pixels(pages);
    try (StripTiffWriter probabilities = StripTiffWriter.create(files.probabilities(), calibration,
            TiffVariant.forPixelBytes(pixels * 4));
        StripTiffWriter labels = StripTiffWriter.create(files.labels(), calibration,
            TiffVariant.forPixelBytes(pixels * 2))) {
      for (int page = 0; page < pages.size(); page++) {
        PageSource source = pages.get(page);
        String task = pages.size() == 1 ? name : name + " page " + (page + 1) + "/" + pages.size();
        overlays.add(predictPage(source, page, pages.size(), task, files, probabilities, labels,
            progress.apply(task), counts));
      }
      probabilities.commit();
      labels.commit();
      for (int page = 0; page < overlays.size(); page++) {
        PredictionFiles.moveInPlace(overlays.get(page), files.overlays().get(page));
      }
    } finally {
      for (Path overlay : overlays) {
        PredictionFiles.deleteQuietly(overlay);
      }
    }
    return counts;
  }

  /** Streams one page into the writers and its overlay into a temporary file, which it returns. */
  private Path predictPage(PageSource page, int index, int pageCount, String task, PredictionFiles files,
      StripTiffWriter probabilities, StripTiffWriter labels, TileProgress progress, Counts counts) {
    int width = page.width();
    int height = page.height();
    Path folder = files.probabilities().toAbsolutePath().getParent();
    InferenceSpec inference = predictor.inference();
    NormalizationStats stats = predictor.normalization(page);
    try (BandLabelling labelling = new BandLabelling(width, height, inference, folder,
        files.labels().getFileName().toString())) {
      probabilities.beginPage(width, height, PixelType.FLOAT32);
      if (inference.thinBoundaries() != ThinningMethod.NONE) {
        // Thinning floods the whole page: the page is predicted whole, then written and labelled as one band.
        float[] foreground = predictor.postProcessed(predictor.predictPage(page, stats, progress)).foreground();
        probabilities.writeRows(inference.probabilityOf().fromForeground(foreground), 0, height);
        labelling.addRows(foreground, height);
      } else {
        predictor.streamBands(page, stats, streaming.bandRows(width, predictor.classes(), predictor.tiling().step()),
            (firstRow, band) -> {
          float[] foreground = band.foreground();
          probabilities.writeRows(inference.probabilityOf().fromForeground(foreground), 0, band.height());
          labelling.addRows(foreground, band.height());
        }, progress);
      }
      probabilities.endPage();
      counts.tiles += predictor.tileCount(width, height);
      int objects = labelling.finish();
      files.checkLabelCount(objects, index);
      counts.objects += objects;
      labels.beginPage(width, height, PixelType.UINT16);
      int[] row = new int[width];
      float[] values = new float[width];
      try (BandLabelling.LabelRows rows = labelling.rows()) {
        for (int y = 0; y < height; y++) {
          rows.next(row);
          for (int x = 0; x < width; x++) {
            values[x] = row[x];
            if (row[x] != 0) {
              counts.foreground++;
            }
          }
          labels.writeRows(values, 0, 1);
        }
      }
      labels.endPage();
      counts.pixels += (long) width * height;
      Path overlay = files.overlays().get(index);
      Path temporary = PredictionFiles.temporary(overlay);
      // The overlay stretches the 1st to 99.8th percentile, usually the recipe's normalisation too.
      NormalizationStats gray = predictor.recipe().data().normalization().equals(NormalizationSpec.percentile()) ? stats
          : NormalizationStats.of(page, NormalizationSpec.percentile());
      ImageIo.writePngTo(temporary, Overlay.rows(page, gray, labelling::rows));
      return temporary;
    }
  }
}
