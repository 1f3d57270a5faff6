package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.InvalidInputException;

/**
 * The normalisation of one page that is split into row bands, or why it could not be computed.
 *
 * @param image the image
 * @param page the page, 0-based
 * @param normalization the statistics; null when the page could not be read
 * @param error why not; null otherwise
 */
record PageNormalization(InputImage image, int page, @Nullable BandNormalization normalization,
    @Nullable String error) implements Serializable {
  private static final long serialVersionUID = 1L;

  PageNormalization {
    checkNotNull(image, "image");
    checkArgument((normalization == null) != (error == null), "either the statistics or an error");
  }

  /** Computes it on an executor. */
  static PageNormalization of(WorkUnit band, BatchSettings settings) {
    try {
      return new PageNormalization(band.image(), band.fromPage(),
          UnitWork.normalization(band.image(), band.fromPage(), settings), null);
    } catch (InvalidInputException e) {
      return new PageNormalization(band.image(), band.fromPage(), null, UnitResult.reason(e));
    }
  }
}
