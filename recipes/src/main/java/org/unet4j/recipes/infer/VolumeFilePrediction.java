package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.labels.InstanceLabels;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.StripTiffWriter;
import org.unet4j.recipes.data.TiffVariant;
import org.unet4j.recipes.data.VolumeSource;

/**
 * Prediction of a TIFF stack with a 3D net, a volume per file: {@code NAME_prob.tif} (the
 * probability of {@code inference.probabilityOf}'s class, float, a page per plane) is written
 * plane by plane as the slabs finish, so the probabilities of a stack larger than memory stream
 * through ({@link VolumeOverlapTiles}); for a net of 3 or more classes {@code NAME_classes.tif} and
 * {@code NAME_class_prob.tif} stream beside it, as for images ({@link PredictionFiles}). The
 * instances need the whole volume's foreground: it is kept as one byte a voxel while the
 * probabilities stream, then labelled ({@link VolumePredictor#labels}) into {@code NAME_labels.tif}
 * (16-bit, a page per plane) and an overlay PNG per plane. Every TIFF carries the input's
 * calibration (pixel size, unit, plane spacing), so Fiji opens it as a stack at the input's
 * scale; every file is written under a temporary name and renamed when complete.
 */
final class VolumeFilePrediction {
  private final VolumePredictor predictor;

  VolumeFilePrediction(VolumePredictor predictor) {
    this.predictor = checkNotNull(predictor, "predictor");
  }

  PredictedImage predict(Path file, String name, Path folder, Function<String, TileProgress> progress) {
    checkNotNull(file, "file");
    checkNotNull(name, "name");
    checkNotNull(folder, "folder");
    checkNotNull(progress, "progress");
    long began = System.nanoTime();
    InferenceSpec inference = predictor.inference();
    int classes = predictor.recipe().model().classes();
    try (ImageFile in = ImageFile.open(file)) {
      VolumeSource volume = VolumeSource.of(in);
      predictor.requireChannels(volume, file.toString());
      Size3 size = volume.size();
      PredictionFiles files = PredictionFiles.of(folder, name, size.z());
      NormalizationStats stats = predictor.normalization(volume);
      boolean[] foreground = new boolean[Math.toIntExact(size.voxels())];
      int plane = size.y() * size.x();
      long voxels = size.voxels();
      boolean manyClasses = classes >= 3;
      try (StripTiffWriter probabilities = StripTiffWriter.create(files.probabilities(), volume.calibration(),
              TiffVariant.forPixelBytes(voxels * 4));
          @Nullable StripTiffWriter classMaps = manyClasses ? StripTiffWriter.create(files.classes(),
              volume.calibration(), TiffVariant.forPixelBytes(voxels)) : null;
          @Nullable StripTiffWriter classProbabilities = manyClasses ? StripTiffWriter.create(
              files.classProbabilities(), volume.calibration(), TiffVariant.forPixelBytes(voxels * 4 * classes))
              : null) {
        predictor.stream(volume, stats, 0, size.z(), (z, map) -> {
          float[] fg = map.foreground();
          for (int i = 0; i < plane; i++) {
            foreground[z * plane + i] = fg[i] > inference.threshold();
          }
          write(probabilities, map.image(inference.probabilityOf()));
          if (classMaps != null && classProbabilities != null) {
            write(classMaps, map.classImage());
            for (Image k : map.classImages()) {
              write(classProbabilities, k);
            }
          }
        }, progress.apply(name));
        InstanceVolume labels = VolumePredictor.labels(foreground, size, inference.minObjectSize());
        files.checkLabelCount(labels.cellCount(), 0);
        writeLabels(files, labels, volume);
        writeOverlays(files, labels, volume);
        probabilities.commit();
        if (classMaps != null && classProbabilities != null) {
          classMaps.commit();
          classProbabilities.commit();
        }
        return new PredictedImage(name, file, size.x(), size.y(), size.z(), labels.cellCount(),
            labelled(labels) / (double) voxels, predictor.tileCount(volume, 0, size.z()),
            (System.nanoTime() - began) / 1e9, files);
      }
    }
  }

  private static long labelled(InstanceVolume labels) {
    long n = 0;
    for (int v : labels.toArray()) {
      if (v != 0) {
        n++;
      }
    }
    return n;
  }

  private static void write(StripTiffWriter writer, Image page) {
    writer.beginPage(page.width(), page.height(), page.type());
    writer.writeRows(page.pixels(), 0, page.height());
    writer.endPage();
  }

  private static void writeLabels(PredictionFiles files, InstanceVolume labels, VolumeSource volume) {
    Size3 size = labels.size();
    int[] values = labels.toArray();
    int plane = size.y() * size.x();
    try (StripTiffWriter writer = StripTiffWriter.create(files.labels(), volume.calibration(),
        TiffVariant.forPixelBytes(size.voxels() * 2))) {
      float[] page = new float[plane];
      for (int z = 0; z < size.z(); z++) {
        for (int i = 0; i < plane; i++) {
          page[i] = values[z * plane + i];
        }
        write(writer, Image.gray(size.x(), size.y(), PixelType.UINT16, page));
      }
      writer.commit();
    }
  }

  /** An overlay per plane: the plane's objects' contours on the plane. */
  private static void writeOverlays(PredictionFiles files, InstanceVolume labels, VolumeSource volume) {
    Size3 size = labels.size();
    int[] values = labels.toArray();
    int plane = size.y() * size.x();
    List<Path> written = new ArrayList<>();
    try {
      for (int z = 0; z < size.z(); z++) {
        int[] planeLabels = new int[plane];
        System.arraycopy(values, z * plane, planeLabels, 0, plane);
        Image image = new Image(size.x(), size.y(), volume.channels(), PixelType.FLOAT32, volume.plane(z));
        Path temporary = PredictionFiles.temporary(files.overlays().get(z));
        written.add(temporary);
        ImageIo.writePng(temporary, Overlay.of(image, InstanceLabels.of(planeLabels, size.x(), size.y())));
      }
      for (int z = 0; z < size.z(); z++) {
        PredictionFiles.moveInPlace(written.get(z), files.overlays().get(z));
      }
    } finally {
      for (Path temporary : written) {
        PredictionFiles.deleteQuietly(temporary);
      }
    }
  }
}
