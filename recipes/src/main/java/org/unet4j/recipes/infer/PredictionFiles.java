package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.unet4j.dsl.recipe.ProbabilityOf;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.StripTiffWriter;
import org.unet4j.recipes.data.TiffVariant;

/**
 * The files written for one input image {@code NAME} (one page or a stack):
 * <ul>
 *   <li>{@code NAME_prob.tif}: the foreground probability, 32-bit float, one page per input page;
 *   <li>{@code NAME_labels.tif}: the instance labels, 16-bit (0 background, 1..n objects), one
 *       page per input page;
 *   <li>{@code NAME_overlay.png}: object contours on the image for people; a stack gets one per
 *       page, {@code NAME_overlay_p001.png}, {@code NAME_overlay_p002.png}, ...
 *   <li>on request ({@link ObjectOutput}), {@code NAME_rois.zip}: an ImageJ ROI set, one polygon
 *       per object, and {@code NAME_objects.csv}: a table of per-object measurements
 *       ({@link ObjectFiles});
 *   <li>for a net of 3 or more classes, {@code NAME_classes.tif}: the most probable class of every
 *       pixel, 8-bit, one page per input page, and {@code NAME_class_prob.tif}: the probability of
 *       every class, 32-bit float, one page per class (class 0 first) for each input page in
 *       turn; {@code NAME_prob.tif} then holds the foreground probability, one minus that of
 *       class 0, and the overlay tints each class ({@link Overlay#CLASS_COLOURS}). A one- or
 *       two-class net writes neither;
 *   <li>when {@code inference.instancesPerClass} asks (3 or more classes), {@code NAME_class_labels.tif}:
 *       the instances of each class apart ({@link Predictor#classInstances}), 16-bit, one page per
 *       class k = 1..K-1 (class 1 first) for each input page in turn, as {@code NAME_class_prob.tif}
 *       without class 0.
 * </ul>
 * Both TIFFs carry the input's {@link Calibration} and ImageJ's header, so Fiji shows them at the
 * input's scale and a stack as a z-stack, and are written by
 * {@link org.unet4j.recipes.data.StripTiffWriter}: as BigTIFF when they would outgrow classic
 * TIFF's 4 GB. Every file is written under a temporary name and renamed when complete, so a file
 * of an output name is always whole. Small single pages are written from memory ({@link #write});
 * large pages and stacks are streamed by {@link Predictor#predictFile} a band at a time (the same
 * values; the overlay is then written row by row, at full resolution).
 *
 * @param probabilities the {@code _prob.tif} file
 * @param labels the {@code _labels.tif} file
 * @param overlays the overlay PNGs, one per page
 * @param rois the {@code _rois.zip} file, written only when asked for
 * @param objects the {@code _objects.csv} file, written only when asked for
 * @param classes the {@code _classes.tif} file, written only for a net of 3 or more classes
 * @param classProbabilities the {@code _class_prob.tif} file, written only for a net of 3 or more classes
 * @param classLabels the {@code _class_labels.tif} file, written only when instances per class are asked for
 */
public record PredictionFiles(Path probabilities, Path labels, List<Path> overlays, Path rois, Path objects,
    Path classes, Path classProbabilities, Path classLabels) {
  /** The most objects a 16-bit label image holds. */
  public static final int MAX_LABELS = 65535;

  public PredictionFiles {
    checkNotNull(probabilities, "probabilities");
    checkNotNull(labels, "labels");
    checkNotNull(rois, "rois");
    checkNotNull(objects, "objects");
    checkNotNull(classes, "classes");
    checkNotNull(classProbabilities, "classProbabilities");
    checkNotNull(classLabels, "classLabels");
    overlays = ImmutableList.copyOf(overlays);
  }

  /** The file names for input {@code name} with {@code pages} pages in {@code folder}. */
  public static PredictionFiles of(Path folder, String name, int pages) {
    checkArgument(pages >= 1, "an image has at least one page, got %s", pages);
    List<Path> overlays = new ArrayList<>(pages);
    if (pages == 1) {
      overlays.add(folder.resolve(name + "_overlay.png"));
    } else {
      for (int page = 1; page <= pages; page++) {
        overlays.add(folder.resolve(String.format(Locale.ROOT, "%s_overlay_p%03d.png", name, page)));
      }
    }
    return new PredictionFiles(folder.resolve(name + "_prob.tif"), folder.resolve(name + "_labels.tif"), overlays,
        folder.resolve(name + "_rois.zip"), folder.resolve(name + "_objects.csv"),
        folder.resolve(name + "_classes.tif"), folder.resolve(name + "_class_prob.tif"),
        folder.resolve(name + "_class_labels.tif"));
  }

  /**
   * Writes the prediction of {@code images} (the input pages) as these files, without a
   * calibration, the probability map holding the probability of {@code probabilityOf}'s class.
   *
   * @throws IllegalArgumentException when the lists differ in length
   * @throws DataException when a page has more than {@value #MAX_LABELS} objects (16-bit labels cannot hold them)
   */
  public void write(List<Image> images, List<ProbabilityMap> maps, List<InstanceLabels> instances,
      ProbabilityOf probabilityOf) {
    write(images, maps, instances, probabilityOf, Calibration.NONE);
  }

  /**
   * Writes the prediction of {@code images} (the input pages, whose pixel size is
   * {@code calibration}) as the TIFFs and overlays of these files, the probability map holding the
   * probability of {@code probabilityOf}'s class.
   *
   * @throws IllegalArgumentException when the lists differ in length
   * @throws DataException when a page has more than {@value #MAX_LABELS} objects (16-bit labels cannot hold them)
   */
  public void write(List<Image> images, List<ProbabilityMap> maps, List<InstanceLabels> instances,
      ProbabilityOf probabilityOf, Calibration calibration) {
    write(images, maps, instances, List.of(), probabilityOf, calibration);
  }

  /**
   * {@link #write(List, List, List, ProbabilityOf, Calibration)} that also writes
   * {@code NAME_class_labels.tif} from {@code classInstances}: per input page, the instances of
   * classes 1..K-1 ({@link Predictor#classInstances}); an empty list writes no such file.
   *
   * @throws IllegalArgumentException when the lists differ in length, or a page's class instances
   *     are not one per class k >= 1 of its map
   * @throws DataException when a page or one of its classes has more than {@value #MAX_LABELS} objects
   */
  public void write(List<Image> images, List<ProbabilityMap> maps, List<InstanceLabels> instances,
      List<List<InstanceLabels>> classInstances, ProbabilityOf probabilityOf, Calibration calibration) {
    checkNotNull(classInstances, "classInstances");
    checkNotNull(probabilityOf, "probabilityOf");
    checkNotNull(calibration, "calibration");
    checkArgument(images.size() == overlays.size() && maps.size() == overlays.size()
        && instances.size() == overlays.size(), "expected %s pages of images, maps and labels, got %s, %s and %s",
        overlays.size(), images.size(), maps.size(), instances.size());
    checkArgument(classInstances.isEmpty() || classInstances.size() == overlays.size(),
        "expected class instances of %s pages or none, got %s", overlays.size(), classInstances.size());
    // Checked before anything is written, so a refused prediction leaves no partial outputs.
    List<Image> labelPages = new ArrayList<>(instances.size());
    for (int page = 0; page < instances.size(); page++) {
      labelPages.add(labelImage(instances.get(page), page));
    }
    List<Image> classLabelPages = new ArrayList<>();
    for (int page = 0; page < classInstances.size(); page++) {
      List<InstanceLabels> perClass = classInstances.get(page);
      checkArgument(perClass.size() == maps.get(page).classes() - 1, "page %s: expected the instances of classes"
          + " 1..%s, got %s labellings", page, maps.get(page).classes() - 1, perClass.size());
      for (InstanceLabels labelling : perClass) {
        classLabelPages.add(labelImage(labelling, page));
      }
    }
    List<Image> probabilityPages = new ArrayList<>(maps.size());
    for (ProbabilityMap map : maps) {
      probabilityPages.add(map.image(probabilityOf));
    }
    writeTiff(probabilities, probabilityPages, calibration);
    probabilityPages.clear();
    writeTiff(labels, labelPages, calibration);
    labelPages.clear();
    boolean manyClasses = maps.get(0).classes() >= 3;
    if (manyClasses) {
      List<Image> classPages = new ArrayList<>(maps.size());
      List<Image> classProbabilityPages = new ArrayList<>(maps.size() * maps.get(0).classes());
      for (ProbabilityMap map : maps) {
        classPages.add(map.classImage());
        classProbabilityPages.addAll(map.classImages());
      }
      writeTiff(classes, classPages, calibration);
      writeTiff(classProbabilities, classProbabilityPages, calibration);
    }
    if (!classLabelPages.isEmpty()) {
      writeTiff(classLabels, classLabelPages, calibration);
    }
    for (int page = 0; page < overlays.size(); page++) {
      ImageIo.writePng(overlays.get(page), manyClasses
          ? Overlay.of(images.get(page), instances.get(page), maps.get(page).classMap())
          : Overlay.of(images.get(page), instances.get(page)));
    }
  }

  /** One-channel pages through the writer that streamed predictions use, so both carry the same tags. */
  private static void writeTiff(Path file, List<Image> pages, Calibration calibration) {
    long bytes = 0;
    for (Image page : pages) {
      bytes += (long) page.width() * page.height() * (page.type().bits() / 8);
    }
    try (StripTiffWriter writer = StripTiffWriter.create(file, calibration,
        TiffVariant.forPixelBytes(bytes))) {
      for (Image page : pages) {
        writer.beginPage(page.width(), page.height(), page.type());
        writer.writeRows(page.pixels(), 0, page.height());
        writer.endPage();
      }
      writer.commit();
    }
  }

  /**
   * Checks that page {@code page} (0-based) with {@code objects} objects fits 16-bit labels.
   *
   * @throws DataException when it has more than {@value #MAX_LABELS}
   */
  void checkLabelCount(long objects, int page) {
    if (objects > MAX_LABELS) {
      throw new DataException(labels.getFileName() + (overlays.size() > 1 ? " page " + (page + 1) : "")
          + ": " + objects + " objects, more than the " + MAX_LABELS + " that 16-bit labels hold;"
          + " raise the threshold or inference.minObjectSize, or predict smaller images");
    }
  }

  /** A temporary file beside {@code file} ({@link AtomicFiles#temporary}). */
  static Path temporary(Path file) {
    return AtomicFiles.temporary(file);
  }

  /** Renames a finished temporary file over {@code target} ({@link AtomicFiles#moveInPlace}). */
  static void moveInPlace(Path temporary, Path target) {
    try {
      AtomicFiles.moveInPlace(temporary, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Deletes a temporary file if it is still there. */
  static void deleteQuietly(Path temporary) {
    AtomicFiles.deleteQuietly(temporary);
  }

  private Image labelImage(InstanceLabels instances, int page) {
    checkLabelCount(instances.cellCount(), page);
    int[] values = instances.toArray();
    float[] pixels = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      pixels[i] = values[i];
    }
    return Image.gray(instances.width(), instances.height(), PixelType.UINT16, pixels);
  }
}
