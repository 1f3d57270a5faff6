package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.ThinningMethod;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.StripTiffWriter;
import org.unet4j.recipes.data.TiffVariant;
import org.unet4j.recipes.data.VolumeSource;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * Prediction of a TIFF stack with a 3D net, a volume per file: {@code NAME_prob.tif} (the
 * probability of {@code inference.probabilityOf}'s class, float, a page per plane) is written
 * plane by plane as the slabs finish, so the probabilities of a stack larger than memory stream
 * through ({@link VolumeOverlapTiles}); for a net of 3 or more classes {@code NAME_classes.tif} and
 * {@code NAME_class_prob.tif} stream beside it, as for images ({@link PredictionFiles}). The
 * instances are labelled as the planes stream ({@link VolumeInstances}: provisional labels spilled
 * to a scratch file in the output folder, 4 bytes a voxel on disk), then read back plane by plane
 * into {@code NAME_labels.tif} (16-bit, a page per plane), an overlay PNG per plane and, when asked
 * for, the objects' table {@code NAME_objects.csv} ({@link VolumeObjects}). Every TIFF carries the input's
 * calibration (pixel size, unit, plane spacing), so Fiji opens it as a stack at the input's
 * scale; every file is written under a temporary name and renamed when complete. A recipe that thins its
 * boundaries ({@code inference.thinBoundaries}) keeps the volume's probabilities until its last plane instead,
 * since thinning floods the whole volume, and streams the thinned planes.
 *
 * <p>A volume predicted in parts ({@link VolumePredictor#predictPart}: ranges of planes, each to a
 * part file of its class probabilities) is {@link #assemble}d through the same writers from its
 * parts, so its outputs are those of one prediction of the whole stack.
 */
final class VolumeFilePrediction {
  private final VolumePredictor predictor;

  VolumeFilePrediction(VolumePredictor predictor) {
    this.predictor = checkNotNull(predictor, "predictor");
  }

  PredictedImage predict(Path file, String name, Path folder, Set<ObjectOutput> objectOutputs,
      Function<String, TileProgress> progress) {
    checkNotNull(file, "file");
    checkNotNull(name, "name");
    checkNotNull(folder, "folder");
    checkNotNull(progress, "progress");
    requireObjectOutputs(objectOutputs);
    long began = System.nanoTime();
    try (ImageFile in = ImageFile.open(file)) {
      VolumeSource volume = VolumeSource.of(in);
      predictor.requireChannels(volume, file.toString());
      NormalizationStats stats = predictor.normalization(volume);
      try (Outputs outputs = new Outputs(volume, name, folder, objectOutputs)) {
        Planes planes = new Planes(outputs, volume.size());
        predictor.stream(volume, stats, 0, volume.size().z(), planes, progress.apply(name));
        planes.flush();
        return outputs.finish(file, began);
      }
    }
  }

  /**
   * Writes the outputs of {@code file} from {@code parts}, the class probabilities of its planes in
   * order, as {@link VolumePredictor#predictPart} wrote them.
   */
  PredictedImage assemble(Path file, String name, Path folder, List<Path> parts, Set<ObjectOutput> objectOutputs) {
    checkNotNull(file, "file");
    checkNotNull(parts, "parts");
    requireObjectOutputs(objectOutputs);
    long began = System.nanoTime();
    int classes = predictor.recipe().model().classes();
    try (ImageFile in = ImageFile.open(file)) {
      VolumeSource volume = VolumeSource.of(in);
      Size3 size = volume.size();
      try (Outputs outputs = new Outputs(volume, name, folder, objectOutputs)) {
        Planes planes = new Planes(outputs, size);
        int z = 0;
        for (Path part : parts) {
          List<Image> pages = ImageIo.readPages(part);
          if (pages.size() % classes != 0) {
            throw new DataException(part + " holds " + pages.size() + " pages, not whole planes of " + classes
                + " class(es)");
          }
          for (int p = 0; p < pages.size(); p += classes, z++) {
            if (z >= size.z()) {
              throw new DataException(part + " continues past the " + size.z() + " planes of " + file);
            }
            float[] values = new float[size.y() * size.x() * classes];
            for (int k = 0; k < classes; k++) {
              Image page = pages.get(p + k);
              if (page.width() != size.x() || page.height() != size.y()) {
                throw new DataException(part + " has a " + page.width() + "x" + page.height() + " page but the"
                    + " planes of " + file + " are " + size.x() + "x" + size.y());
              }
              float[] pixels = page.pixels();
              for (int i = 0; i < pixels.length; i++) {
                values[i * classes + k] = pixels[i];
              }
            }
            planes.accept(z, new ProbabilityMap(size.x(), size.y(), classes, values));
          }
        }
        if (z != size.z()) {
          throw new DataException("the parts of " + file + " hold " + z + " of its " + size.z() + " planes");
        }
        planes.flush();
        return outputs.finish(file, began);
      }
    }
  }

  /**
   * Writes the class probabilities of planes {@code [fromZ, toZ)} of {@code volume} into
   * {@code part}: a float page per class for each plane in turn, written under a temporary name;
   * normalised by {@code stats}, the whole volume's.
   */
  void predictPart(VolumeSource volume, NormalizationStats stats, int fromZ, int toZ, Path part) {
    predictor.requireChannels(volume, "the volume");
    int classes = predictor.recipe().model().classes();
    Size3 size = volume.size();
    try (StripTiffWriter writer = StripTiffWriter.create(part, volume.calibration(),
        TiffVariant.forPixelBytes(4L * (toZ - fromZ) * size.y() * size.x() * classes))) {
      predictor.stream(volume, stats, fromZ, toZ, (z, map) -> {
        for (int k = 0; k < classes; k++) {
          write(writer, Image.gray(size.x(), size.y(), PixelType.FLOAT32, map.channel(k)));
        }
      }, TileProgress.NONE);
      writer.commit();
    }
  }

  /**
   * Refuses ROI sets: an ImageJ ROI is a polygon in one plane, and a volume's objects are solids
   * whose cuts through the planes {@code NAME_labels.tif} already holds.
   */
  static void requireObjectOutputs(Set<ObjectOutput> objectOutputs) {
    checkNotNull(objectOutputs, "objectOutputs");
    if (objectOutputs.contains(ObjectOutput.ROIS)) {
      throw new ModelMismatchException("ROI sets (NAME_rois.zip) hold polygons in one plane and are written for"
          + " images only; a volume's objects are written as the table NAME_objects.csv (the voxels, centroid and"
          + " bounds of each) beside NAME_labels.tif");
    }
  }

  /**
   * Hands the planes to the outputs as they come or, when the recipe thins its boundaries, keeps them until the
   * last one, since thinning floods the whole volume, and then hands over the thinned planes (the memory of the
   * volume's class probabilities, twice).
   */
  private final class Planes implements VolumeOverlapTiles.PlaneSink {
    private final Outputs outputs;
    private final Size3 size;
    private final int classes = predictor.recipe().model().classes();
    private final float @Nullable [] whole;

    Planes(Outputs outputs, Size3 size) {
      this.outputs = outputs;
      this.size = size;
      this.whole = predictor.inference().thinBoundaries() == ThinningMethod.NONE ? null
          : new float[Math.toIntExact(size.voxels() * classes)];
    }

    @Override
    public void accept(int z, ProbabilityMap plane) {
      if (whole == null) {
        outputs.accept(z, plane);
        return;
      }
      float[] values = plane.values();
      System.arraycopy(values, 0, whole, z * values.length, values.length);
    }

    /** After the last plane: the thinned planes to the outputs, in order. */
    void flush() {
      if (whole != null) {
        VolumeProbabilities thinned = predictor.postProcessed(new VolumeProbabilities(size, classes, whole));
        for (int z = 0; z < size.z(); z++) {
          outputs.accept(z, thinned.plane(z));
        }
      }
    }
  }

  /** The output files of one volume, written plane by plane in order. */
  private final class Outputs implements AutoCloseable {
    private final VolumeSource volume;
    private final String name;
    private final Size3 size;
    private final InferenceSpec inference = predictor.inference();
    private final PredictionFiles files;
    private final boolean measure;
    private final VolumeInstances instances;
    private final StripTiffWriter probabilities;
    private final @Nullable StripTiffWriter classMaps;
    private final @Nullable StripTiffWriter classProbabilities;

    Outputs(VolumeSource volume, String name, Path folder, Set<ObjectOutput> objectOutputs) {
      this.volume = volume;
      this.name = name;
      this.size = volume.size();
      this.files = PredictionFiles.of(folder, name, size.z());
      this.measure = objectOutputs.contains(ObjectOutput.MEASUREMENTS);
      int classes = predictor.recipe().model().classes();
      long voxels = size.voxels();
      List<StripTiffWriter> opened = new ArrayList<>();
      this.instances = VolumeInstances.spilled(size, inference, folder, name);
      try {
        probabilities = open(opened, files.probabilities(), voxels * 4);
        classMaps = classes >= 3 ? open(opened, files.classes(), voxels) : null;
        classProbabilities = classes >= 3 ? open(opened, files.classProbabilities(), voxels * 4 * classes) : null;
      } catch (RuntimeException e) {
        opened.forEach(StripTiffWriter::close);
        instances.close();
        throw e;
      }
    }

    private StripTiffWriter open(List<StripTiffWriter> opened, Path file, long bytes) {
      StripTiffWriter writer = StripTiffWriter.create(file, volume.calibration(), TiffVariant.forPixelBytes(bytes));
      opened.add(writer);
      return writer;
    }

    void accept(int z, ProbabilityMap map) {
      instances.addPlane(map);
      write(probabilities, map.image(inference.probabilityOf()));
      if (classMaps != null && classProbabilities != null) {
        write(classMaps, map.classImage());
        for (Image k : map.classImages()) {
          write(classProbabilities, k);
        }
      }
    }

    /**
     * Resolves the instances, writes the labels, the overlays and the objects' table plane by
     * plane, and renames every file into place.
     */
    PredictedImage finish(Path file, long began) {
      int objects = instances.finish();
      files.checkLabelCount(objects, 0);
      VolumeObjects table = measure ? new VolumeObjects(size.x(), size.y()) : null;
      long inside = writeLabels(table);
      if (table != null) {
        table.write(files.objects(), volume.calibration());
      }
      probabilities.commit();
      if (classMaps != null && classProbabilities != null) {
        classMaps.commit();
        classProbabilities.commit();
      }
      return new PredictedImage(name, file, size.x(), size.y(), size.z(), objects,
          inside / (double) size.voxels(), predictor.tileCount(volume, 0, size.z()),
          (System.nanoTime() - began) / 1e9, files);
    }

    /**
     * Writes {@code NAME_labels.tif} and an overlay per plane (the contours of the plane's cuts
     * through the objects, on the plane) as the labels are read back, and counts them into
     * {@code table}; returns the voxels inside objects.
     */
    private long writeLabels(@Nullable VolumeObjects table) {
      int plane = size.y() * size.x();
      long inside = 0;
      List<Path> written = new ArrayList<>();
      try (StripTiffWriter writer = StripTiffWriter.create(files.labels(), volume.calibration(),
          TiffVariant.forPixelBytes(size.voxels() * 2));
          VolumeInstances.Planes planes = instances.planes()) {
        int[] labels = new int[plane];
        float[] page = new float[plane];
        for (int z = 0; z < size.z(); z++) {
          planes.next(labels);
          for (int i = 0; i < plane; i++) {
            page[i] = labels[i];
            if (labels[i] != 0) {
              inside++;
            }
          }
          write(writer, Image.gray(size.x(), size.y(), PixelType.UINT16, page));
          if (table != null) {
            table.addPlane(labels);
          }
          Image image = new Image(size.x(), size.y(), volume.channels(), PixelType.FLOAT32, volume.plane(z));
          Path temporary = PredictionFiles.temporary(files.overlays().get(z));
          written.add(temporary);
          ImageIo.writePng(temporary, Overlay.of(image, InstanceLabels.of(labels, size.x(), size.y())));
        }
        writer.commit();
        for (int z = 0; z < size.z(); z++) {
          PredictionFiles.moveInPlace(written.get(z), files.overlays().get(z));
        }
      } finally {
        for (Path temporary : written) {
          PredictionFiles.deleteQuietly(temporary);
        }
      }
      return inside;
    }

    @Override
    public void close() {
      probabilities.close();
      if (classMaps != null) {
        classMaps.close();
      }
      if (classProbabilities != null) {
        classProbabilities.close();
      }
      instances.close();
    }
  }

  private static void write(StripTiffWriter writer, Image page) {
    writer.beginPage(page.width(), page.height(), page.type());
    writer.writeRows(page.pixels(), 0, page.height());
    writer.endPage();
  }
}
