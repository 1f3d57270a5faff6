package org.unet4j.dsl.geometry;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.ExpandingStageSpec;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.StageSpec;

/**
 * The overlap-tile layout of a model at one square input tile (paper Fig. 2), the same along
 * both image axes.
 *
 * <p>An image of {@code size} pixels is extended by mirroring ({@link org.unet4j.augment.Mirror}):
 * {@link #context()} pixels before its first pixel and enough after its last that the last tile
 * fits. Tile {@code k} starts at {@code k * step} in the extended image and its output pixel
 * {@code skip + j} is the image pixel {@code k * step + j}. Each image pixel is written by exactly
 * one tile: tile {@code k} writes {@code [k * step, (k + 1) * step)}, the last one up to the end of
 * the image.
 *
 * <p><b>Why the result equals one pass of the net over the whole extended image.</b> With
 * unpadded convolutions an output pixel depends only on the input pixels in its window, and the
 * crop of every skip connection is the same for every valid input size. What differs from one
 * position to the next is the phase of the pooling grids: a pooled map of the tile is aligned to
 * the tile's origin. Two passes therefore compute the same value for the same image pixel exactly
 * when their origins differ by a multiple of the period {@code pool^depth}; the output size
 * (16b - 60 for the paper's net) is in general not such a multiple. So the step is the largest
 * multiple of the period that is at most the tile's usable output, tile origins are multiples of
 * it, and the whole extended image (of size {@code (tiles - 1) * step + tile}, a valid input since
 * valid sizes repeat with the period) has origin 0: every tile computes exactly what the whole pass
 * computes there (up to the float rounding of a different summation order inside TensorFlow's
 * kernels). Output tiles then overlap by {@code usable - step} pixels, which are computed twice and
 * written once.
 *
 * <p>Nets with padded ({@code same}) convolutions see zero padding at every tile border, which the
 * whole-image pass does not. Their tiles keep only the output pixels whose whole receptive field
 * lies inside the tile: {@link #skip()} pixels are dropped at each side ({@code receptiveField - 1
 * - margin}, a bound that holds for every pooling phase), and the mirrored context grows by as much.
 * For unpadded nets of stride 1 {@code skip} is 0.
 *
 * <p><b>Output stride s above 1</b> (fewer expanding than contracting stages): a tile's
 * {@code outputSize} pixels each stand for an s x s block of input pixels ({@link
 * Geometry#outputOrigin()}), and the predictor upsamples them bilinearly to the
 * {@link #upsampledOutput()} = {@code s * outputSize} pixels under the blocks, each coarse value at
 * its block's centre. A fine pixel less than half a block from the tile's output border lies
 * outside the outermost centres and would need the neighbouring tile's values, so the tile drops
 * {@code s / 2} (rounded down) more pixels at each side; what it keeps is interpolated between its
 * own values exactly as in the whole-image pass. The period is a multiple of s, so every tile's
 * blocks lie on the whole pass's block grid.
 *
 * @param tile input height and width of a tile
 * @param outputSize the net's output height and width for {@code tile}
 * @param step distance between the origins of neighbouring tiles: a multiple of {@code period}
 * @param context pixels mirrored before the first row and column of the image
 * @param skip pixels at each side of a tile's (upsampled) output that are not used
 * @param period pooling size ^ depth: the alignment that tiles keep
 * @param stride input pixels per output pixel along an axis (1 for a full U-Net)
 */
public record Tiling(int tile, int outputSize, int step, int context, int skip, int period, int stride) {

  public Tiling {
    checkArgument(tile >= 1 && outputSize >= 1 && period >= 1 && skip >= 0 && context >= 0 && stride >= 1,
        "sizes must be positive: tile %s, outputSize %s, period %s, skip %s, context %s, stride %s", tile, outputSize,
        period, skip, context, stride);
    checkArgument(period % stride == 0, "the period %s must be a multiple of the stride %s", period, stride);
    checkArgument(step >= period && step % period == 0 && step <= stride * outputSize - 2 * skip,
        "step %s must be a positive multiple of the period %s and at most the usable output %s", step, period,
        stride * outputSize - 2 * skip);
  }

  /**
   * The layout of {@code model} at input tile {@code tile}.
   *
   * @throws InvalidInputException when the tile is not a valid input size (naming the nearest
   *     valid ones), or when the tile's usable output is smaller than the period (naming the
   *     smallest tile that works)
   */
  public static Tiling of(ModelSpec model, int tile) {
    return of(model, model.geometry(), tile);
  }

  /**
   * The layout of a 3D net at input tile {@code tile} along one axis of its volumes: the same
   * arithmetic as {@link #of(ModelSpec, int)}, with the axis' own {@link Geometry} (its period,
   * margin and valid sizes); {@link VolumeTiling} puts the three together.
   *
   * @throws InvalidInputException when the tile is not valid along the axis, or too small to step
   */
  public static Tiling along(ModelSpec model, Axis axis, int tile) {
    return of(model, model.geometry(axis), tile);
  }

  /**
   * The layout of the smallest valid tile that predicts an image of {@code size} pixels along each
   * axis in one tile ({@link #tilesAlong}{@code (size) == 1}, so its step and usable output are at
   * least {@code size}): one pass of the net over the mirror-extended image, as a 512x512 ISBI 2012
   * slice goes through the paper's net in one tile of 700 (output 516, step 512).
   *
   * @throws InvalidInputException when {@code size} is not positive, or no tile up to
   *     {@link Geometry#MAX_INPUT} covers it (naming the largest image one tile covers)
   */
  public static Tiling covering(ModelSpec model, int size) {
    if (size < 1) {
      throw new InvalidInputException("an image of " + size + " pixels: give a positive size");
    }
    Geometry geometry = model.geometry();
    @Nullable Tiling largest = null;
    for (OptionalInt t = geometry.validInputAbove(0); t.isPresent(); t = geometry.validInputAbove(t.getAsInt())) {
      Tiling tiling = layout(model, geometry, t.getAsInt());
      if (tiling != null && tiling.tilesAlong(size) == 1) {
        return tiling;
      }
      largest = tiling != null ? tiling : largest;
    }
    throw new InvalidInputException("no tile up to " + Geometry.MAX_INPUT + " covers an image of " + size
        + " pixels in one tile" + (largest != null ? "; the largest, " + largest.tile() + ", covers " + largest.step()
        + " pixels" : "") + ": use a smaller image or overlapping tiles");
  }

  private static Tiling of(ModelSpec model, Geometry geometry, int tile) {
    geometry.requireValid(tile, "the model");
    Tiling tiling = layout(model, geometry, tile);
    if (tiling == null) {
      int output = geometry.outputStride() * geometry.outputSize(tile) - 2 * skip(model, geometry);
      OptionalInt enough = smallestWorkingTile(model, geometry, tile);
      throw new InvalidInputException("tile " + tile + " leaves " + Math.max(0, output) + " usable output pixels,"
          + " fewer than the pooling period " + geometry.period() + "; tiles must step by a multiple of "
          + geometry.period() + " for a seamless result, so use a larger tile"
          + (enough.isPresent() ? " (the smallest that works is " + enough.getAsInt() + ")" : ""));
    }
    return tiling;
  }

  /**
   * A tile's output at the input's resolution: {@code stride * outputSize} pixels, the net's own
   * output for stride 1, else the net's output upsampled.
   */
  public int upsampledOutput() {
    return stride * outputSize;
  }

  /** The pixels of a tile's upsampled output that are used: {@code upsampledOutput - 2 * skip}. */
  public int usable() {
    return upsampledOutput() - 2 * skip;
  }

  /** Tiles along an axis of {@code size} image pixels. */
  public int tilesAlong(int size) {
    checkArgument(size >= 1, "size must be positive, got %s", size);
    return (size + step - 1) / step;
  }

  /** Tiles for a {@code width x height} image. */
  public long tileCount(int width, int height) {
    return (long) tilesAlong(width) * tilesAlong(height);
  }

  /**
   * The mirror-extended size along an axis of {@code size} image pixels: a valid input of the net,
   * so one pass over it gives what the tiles give.
   */
  public int extendedSize(int size) {
    return (tilesAlong(size) - 1) * step + tile;
  }

  private static @Nullable Tiling layout(ModelSpec model, Geometry geometry, int tile) {
    int output = geometry.outputSize(tile);
    int stride = geometry.outputStride();
    int skip = skip(model, geometry);
    int usable = stride * output - 2 * skip;
    int period = geometry.period();
    int step = usable / period * period;
    if (usable < 1 || step < period) {
      return null;
    }
    return new Tiling(tile, output, step, geometry.margin() + skip, skip, period, stride);
  }

  private static OptionalInt smallestWorkingTile(ModelSpec model, Geometry geometry, int from) {
    for (int t = from + 1; t <= Geometry.MAX_INPUT; t++) {
      if (geometry.isValidInput(t) && layout(model, geometry, t) != null) {
        return OptionalInt.of(t);
      }
    }
    return OptionalInt.empty();
  }

  /**
   * Input pixels per side of a tile's upsampled output that are not used: those whose output pixel's
   * receptive field may reach the zero padding of a tile border (none for unpadded nets; the window
   * of an output pixel contains its block and is at most {@code receptiveField} wide, so it lies
   * within {@code receptiveField - 1} of it), whole blocks of them, and then, for stride s, the
   * {@code s / 2} pixels outside the outermost kept block centres.
   */
  private static int skip(ModelSpec model, Geometry geometry) {
    int stride = geometry.outputStride();
    int padded = paddingReach(model, geometry);
    return (padded + stride - 1) / stride * stride + stride / 2;
  }

  /** Input pixels at each side of a tile's output whose receptive field may reach a tile border's padding. */
  private static int paddingReach(ModelSpec model, Geometry geometry) {
    boolean padded = model.bottleneck().padding() == Padding.SAME;
    for (StageSpec stage : model.contracting()) {
      padded |= stage.padding() == Padding.SAME;
    }
    for (ExpandingStageSpec stage : model.expanding()) {
      padded |= stage.padding() == Padding.SAME;
    }
    return padded ? Math.max(0, geometry.receptiveField() - 1 - geometry.margin()) : 0;
  }
}
