package org.unet4j.spark;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import org.unet4j.recipes.data.ImageFile;
import org.unet4j.recipes.data.ImageReadException;
import org.unet4j.recipes.data.PageSource;

/**
 * The page sizes of an image file from its headers, without decoding the pixels: what planning
 * the work units needs, cheap even for huge images.
 */
final class ImageHeaders {
  private ImageHeaders() {}

  /**
   * The size of every page of a TIFF, or of a PNG.
   *
   * @throws ImageReadException when the file cannot be read as unet4j reads images (missing,
   *     empty, not TIFF or PNG, damaged headers, sample types it does not read), with the reason
   */
  static ImmutableList<PageSize> pages(Path file) {
    try (ImageFile image = ImageFile.open(file)) {
      ImmutableList.Builder<PageSize> pages = ImmutableList.builderWithExpectedSize(image.pageCount());
      for (int page = 0; page < image.pageCount(); page++) {
        PageSource source = image.page(page);
        pages.add(new PageSize(source.width(), source.height()));
      }
      return pages.build();
    }
  }
}
