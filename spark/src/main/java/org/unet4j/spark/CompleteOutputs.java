package org.unet4j.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.infer.ObjectOutput;
import org.unet4j.recipes.infer.PredictionFiles;

/**
 * Whether an image's outputs from an earlier run are complete and valid, so that a re-run can
 * skip it: every file {@code unet4j predict} writes for it is present and readable, the
 * probabilities and labels have one page per input page of the input's size and the right sample
 * type, every overlay has its page's size, and the per-object outputs asked for are present.
 * Files are always renamed into place whole, so a missing file is what an interrupted run leaves;
 * the reading also catches files damaged since.
 */
final class CompleteOutputs {
  private CompleteOutputs() {}

  /** The statistics of the outputs when they are complete; empty when the image must be predicted. */
  static Optional<ImageStats> check(Path folder, String name, List<PageSize> pages, Set<ObjectOutput> objects) {
    PredictionFiles files = PredictionFiles.of(folder, name, pages.size());
    if (!Files.isRegularFile(files.probabilities()) || !Files.isRegularFile(files.labels())
        || !files.overlays().stream().allMatch(Files::isRegularFile)
        || (objects.contains(ObjectOutput.ROIS) && !Files.isRegularFile(files.rois()))
        || (objects.contains(ObjectOutput.MEASUREMENTS) && !Files.isRegularFile(files.objects()))) {
      return Optional.empty();
    }
    try {
      if (!matches(ImageIo.readPages(files.probabilities()), pages, PixelType.FLOAT32, 1)) {
        return Optional.empty();
      }
      List<Image> labels = ImageIo.readPages(files.labels());
      if (!matches(labels, pages, PixelType.UINT16, 1)) {
        return Optional.empty();
      }
      for (int page = 0; page < pages.size(); page++) {
        if (!matches(List.of(ImageIo.read(files.overlays().get(page))), List.of(pages.get(page)), PixelType.UINT8, 3)) {
          return Optional.empty();
        }
      }
      return Optional.of(ImageStats.ofLabels(labels));
    } catch (InvalidInputException e) {
      // ImageReadException (damaged or truncated) or an invalid sample: predict it again.
      return Optional.empty();
    }
  }

  private static boolean matches(List<Image> images, List<PageSize> pages, PixelType type, int channels) {
    if (images.size() != pages.size()) {
      return false;
    }
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      PageSize page = pages.get(i);
      if (image.width() != page.width() || image.height() != page.height() || image.type() != type
          || image.channels() != channels) {
        return false;
      }
    }
    return true;
  }
}
