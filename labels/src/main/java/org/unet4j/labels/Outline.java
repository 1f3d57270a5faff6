package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The outer boundary of one object as a closed polygon on pixel corners: vertex {@code i} is
 * {@code (x[i], y[i])}, where corner {@code (x, y)} is the top-left corner of pixel {@code (x, y)},
 * so a one-pixel object at {@code (2, 3)} is the square {@code (2,3) (3,3) (3,4) (2,4)}. Only the
 * corners where the boundary turns are listed, clockwise as the image is shown (y down); the last
 * vertex joins the first. Filled, the polygon covers the object's pixels and its holes.
 *
 * @param label the object's label
 * @param x the vertices' x coordinates
 * @param y the vertices' y coordinates
 */
public record Outline(int label, int[] x, int[] y) {
  public Outline {
    checkNotNull(x, "x");
    checkNotNull(y, "y");
    checkArgument(x.length == y.length, "%s x but %s y coordinates", x.length, y.length);
    checkArgument(x.length >= 4, "a polygon around pixels has at least 4 corners, got %s", x.length);
  }

  /** The number of vertices. */
  public int size() {
    return x.length;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Outline other && label == other.label && Arrays.equals(x, other.x)
        && Arrays.equals(y, other.y);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * label + Arrays.hashCode(x)) + Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Outline[label ").append(label).append(',');
    for (int i = 0; i < x.length; i++) {
      text.append(" (").append(x[i]).append(',').append(y[i]).append(')');
    }
    return text.append(']').toString();
  }
}
