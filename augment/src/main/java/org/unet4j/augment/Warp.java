package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import org.unet4j.dsl.recipe.Interpolation;

/**
 * The geometric part of one sample's augmentation: elastic deformation, rotations, mirrors,
 * shifts and zoom composed into <em>one</em> coordinate map, so that image, labels and weights are
 * each resampled once (repeated resampling would blur the image a little more with every step).
 *
 * <p>Transforms act about the centre of the output tile and compose in the order they are added:
 * {@code Warp.identity().elastic(f).rotate(30)} deforms, then rotates the deformed image. The map
 * is stored backwards (output pixel to source point): consecutive affine steps are multiplied into
 * one matrix, and an elastic field is evaluated where the steps after it point.
 *
 * <p>Immutable and thread-safe.
 */
public final class Warp {
  private static final Warp IDENTITY = new Warp(ImmutableList.of());

  /** Backward maps, first added first; a pixel runs through them last to first. */
  private final ImmutableList<Step> steps;

  private Warp(ImmutableList<Step> steps) {
    this.steps = steps;
  }

  /** The map that leaves every pixel where it is. */
  public static Warp identity() {
    return IDENTITY;
  }

  /** Then rotate by {@code degrees} about the tile centre (clockwise on screen, y pointing down). */
  public Warp rotate(double degrees) {
    checkArgument(Double.isFinite(degrees), "degrees must be finite, got %s", degrees);
    double radians = StrictMath.toRadians(degrees);
    return rotation(StrictMath.cos(radians), StrictMath.sin(radians));
  }

  /**
   * Then rotate by {@code turns} quarter turns clockwise, with exact matrix entries: pixel (i, j) of
   * an n x n tile turned once comes from pixel (n-1-j, i). On a tile that is not square the
   * turned content leaves strips that are filled by mirroring, like any rotation.
   */
  public Warp quarterTurns(int turns) {
    return switch (Math.floorMod(turns, 4)) {
      case 0 -> this;
      case 1 -> rotation(0, 1);
      case 2 -> rotation(-1, 0);
      default -> rotation(0, -1);
    };
  }

  /** Then mirror left to right (x becomes -x about the centre). */
  public Warp mirrorLeftRight() {
    return then(new Affine(1, 0, 0, -1, 0, 0));
  }

  /** Then mirror top to bottom (y becomes -y about the centre). */
  public Warp mirrorUpDown() {
    return then(new Affine(-1, 0, 0, 1, 0, 0));
  }

  /** Then move the content by {@code dy} rows down and {@code dx} columns right. */
  public Warp shift(double dy, double dx) {
    checkArgument(Double.isFinite(dy) && Double.isFinite(dx), "shift must be finite, got (%s, %s)", dy, dx);
    return then(new Affine(1, 0, 0, 1, -dy, -dx));
  }

  /** Then zoom about the tile centre: {@code factor} above 1 enlarges the content. */
  public Warp scale(double factor) {
    checkArgument(factor > 0 && Double.isFinite(factor), "scale factor must be positive, got %s", factor);
    double inverse = 1 / factor;
    return then(new Affine(inverse, 0, 0, inverse, 0, 0));
  }

  /** Then deform elastically with {@code field}. */
  public Warp elastic(ElasticField field) {
    checkNotNull(field, "field");
    return then(new Elastic(field));
  }

  /** Whether this map leaves every pixel where it is. */
  public boolean isIdentity() {
    return steps.isEmpty();
  }

  /**
   * Resamples {@code sample} under this map into a tile whose top-left image pixel is, before
   * warping, pixel ({@code top}, {@code left}) of the sample: the image with {@code interpolation},
   * labels and weights with nearest neighbour from the same source pixel, and points outside the
   * sample mirrored back in ({@link Mirror}).
   */
  public Tile resample(Sample sample, TileShape shape, int top, int left, Interpolation interpolation) {
    checkNotNull(sample, "sample");
    checkNotNull(shape, "shape");
    checkNotNull(interpolation, "interpolation");
    return Resampler.resample(this, sample, shape, top, left, interpolation);
  }

  /** Maps {@code p}, an output point in tile-centred coordinates (y, x), to its source point in place. */
  void mapCentred(double[] p) {
    for (int k = steps.size() - 1; k >= 0; k--) {
      steps.get(k).back(p);
    }
  }

  Step[] steps() {
    return steps.toArray(new Step[0]);
  }

  private Warp rotation(double cos, double sin) {
    // Forward (x, y) -> (x cos - y sin, x sin + y cos); backward in (y, x) order:
    // y = cos y' - sin x', x = sin y' + cos x'.
    return then(new Affine(cos, -sin, sin, cos, 0, 0));
  }

  private Warp then(Step next) {
    if (!steps.isEmpty() && steps.get(steps.size() - 1) instanceof Affine last && next instanceof Affine affine) {
      ImmutableList<Step> merged = ImmutableList.<Step>builder()
          .addAll(steps.subList(0, steps.size() - 1)).add(last.after(affine)).build();
      return new Warp(merged);
    }
    return new Warp(ImmutableList.<Step>builder().addAll(steps).add(next).build());
  }

  @Override
  public String toString() {
    return "Warp" + steps;
  }

  /** One backward step: maps a point of the frame after the step to the frame before it. */
  sealed interface Step permits Affine, Elastic {
    void back(double[] p);
  }

  /** p -> M p + o in (y, x) order. */
  record Affine(double yy, double yx, double xy, double xx, double oy, double ox) implements Step {
    @Override
    public void back(double[] p) {
      double y = p[0];
      double x = p[1];
      p[0] = yy * y + yx * x + oy;
      p[1] = xy * y + xx * x + ox;
    }

    /** The backward map of "this, then {@code next}": this.back(next.back(p)). */
    Affine after(Affine next) {
      return new Affine(
          yy * next.yy + yx * next.xy, yy * next.yx + yx * next.xx,
          xy * next.yy + xx * next.xy, xy * next.yx + xx * next.xx,
          yy * next.oy + yx * next.ox + oy, xy * next.oy + xx * next.ox + ox);
    }
  }

  record Elastic(ElasticField field) implements Step {
    @Override
    public void back(double[] p) {
      field.displaceCentred(p);
    }
  }
}
