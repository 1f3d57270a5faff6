package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;

/**
 * Down-sampling between contracting stages: a {@code size x size} window with stride {@code size}.
 * The up-convolutions of the expanding path use the same factor.
 */
@Doc("Down-sampling between contracting stages; the up-convolutions use the same factor.")
public record Pooling(
    @Doc("max or average") @Default("\"max\"") PoolingKind kind,
    @Doc("window and stride, in pixels") @Default("2") @Range(min = 2, max = 4) int size) {

  public Pooling {
    checkNotNull(kind, "kind");
    Specs.checkComponent(Pooling.class, "size", size);
  }

  /** Max pooling with a {@code size x size} window and stride, as in the paper for size 2. */
  public static Pooling max(int size) {
    return new Pooling(PoolingKind.MAX, size);
  }

  /** Average pooling with a {@code size x size} window and stride. */
  public static Pooling average(int size) {
    return new Pooling(PoolingKind.AVERAGE, size);
  }
}
