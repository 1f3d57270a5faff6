package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.InvalidInputException;

/**
 * The normalisation of one page that is split into row bands, or of one volume split into plane
 * ranges, or why it could not be computed.
 *
 * @param image the image
 * @param page the page, 0-based, or {@link #VOLUME} for a whole volume
 * @param normalization the statistics; null when the page could not be read
 * @param error why not; null otherwise
 */
record PageNormalization(InputImage image, int page, @Nullable BandNormalization normalization,
    @Nullable String error) implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The {@link #page} of a whole volume's normalisation. */
  static final int VOLUME = -1;

  PageNormalization {
    checkNotNull(image, "image");
    checkArgument((normalization == null) != (error == null), "either the statistics or an error");
  }

  /** Computes it on an executor, for {@code part}'s page or volume. */
  static PageNormalization of(WorkUnit part, BatchSettings settings) {
    int page = page(part);
    try {
      return new PageNormalization(part.image(), page, UnitWork.normalization(part, settings), null);
    } catch (InvalidInputException e) {
      return new PageNormalization(part.image(), page, null, UnitResult.reason(e));
    }
  }

  /** The page whose normalisation {@code part} needs, or {@link #VOLUME}. */
  static int page(WorkUnit part) {
    return part.kind() == WorkUnit.Kind.PLANES ? VOLUME : part.fromPage();
  }

  /** The key shared by the parts of one page or volume. */
  static String key(WorkUnit part) {
    return key(part.image(), page(part));
  }

  String key() {
    return key(image, page);
  }

  private static String key(InputImage image, int page) {
    return image.name() + "\u0000" + page;
  }
}
