package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * One task's share of the work: a whole image, a range of pages of a stack, a band of output
 * rows of one page, or a range of planes of a volume.
 *
 * @param image the input
 * @param kind what part of it
 * @param pages the image's page count
 * @param fromPage the first page (0-based) of the unit
 * @param toPage one past its last page
 * @param fromRow for {@link Kind#ROWS}, the first output row; 0 otherwise
 * @param toRow for {@link Kind#ROWS}, one past the last output row; the page height otherwise
 * @param cost the tiles it predicts, test-time copies included: what balancing weighs
 * @param normalization for {@link Kind#ROWS}, the normalisation of the whole page, for
 *     {@link Kind#PLANES} that of the whole volume, once it is known; null otherwise
 */
public record WorkUnit(InputImage image, Kind kind, int pages, int fromPage, int toPage, int fromRow, int toRow,
    long cost, @Nullable BandNormalization normalization) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of work units. */
  public enum Kind {
    /** A whole image (every page), predicted and written in one go as {@code unet4j predict} does. */
    IMAGE,
    /** Pages {@code [fromPage, toPage)} of a stack, each predicted to a part file. */
    PAGES,
    /** Output rows {@code [fromRow, toRow)} of page {@code fromPage}, predicted to a part file. */
    ROWS,
    /**
     * Planes {@code [fromPage, toPage)} of a volume (a stack predicted by a 3D net), whole slabs of
     * tiles with their mirrored context, predicted to one part file.
     */
    PLANES
  }

  public WorkUnit {
    checkNotNull(image, "image");
    checkNotNull(kind, "kind");
    checkArgument(0 <= fromPage && fromPage < toPage && toPage <= pages, "pages [%s, %s) of %s", fromPage, toPage,
        pages);
    checkArgument(0 <= fromRow && fromRow < toRow, "rows [%s, %s)", fromRow, toRow);
    checkArgument(kind != Kind.IMAGE || (fromPage == 0 && toPage == pages), "an image unit covers every page");
    checkArgument(kind != Kind.ROWS || toPage == fromPage + 1, "a row band lies in one page");
    checkArgument(cost >= 0, "cost must be >= 0, got %s", cost);
    checkArgument(normalization == null || splitsNormalization(kind),
        "only row bands and plane ranges carry a normalisation");
  }

  /**
   * Whether this unit is a part of a page (a row band) or of a volume (a plane range), normalised as
   * the whole is, by statistics computed once for all its parts.
   */
  boolean splitsNormalization() {
    return splitsNormalization(kind);
  }

  private static boolean splitsNormalization(Kind kind) {
    return kind == Kind.ROWS || kind == Kind.PLANES;
  }

  /** This row band or plane range with the normalisation of its whole page or volume. */
  WorkUnit withNormalization(BandNormalization wholeNormalization) {
    checkArgument(splitsNormalization(), "only row bands and plane ranges carry a normalisation");
    return new WorkUnit(image, kind, pages, fromPage, toPage, fromRow, toRow, cost, wholeNormalization);
  }

  /** Whether the unit writes the image's outputs itself rather than part files to assemble. */
  public boolean whole() {
    return kind == Kind.IMAGE;
  }

  /** For people: {@code a.tif}, {@code stack.tif pages 3-5}, {@code big.tif rows 512-1023}. */
  public String describe() {
    String file = image.file().getFileName().toString();
    switch (kind) {
      case PAGES:
        return file + (toPage - fromPage == 1 ? " page " + (fromPage + 1) : " pages " + (fromPage + 1) + "-" + toPage);
      case ROWS:
        return file + (pages > 1 ? " page " + (fromPage + 1) : "") + " rows " + fromRow + "-" + (toRow - 1);
      case PLANES:
        return file + " planes " + (fromPage + 1) + "-" + toPage;
      default:
        return file;
    }
  }
}
