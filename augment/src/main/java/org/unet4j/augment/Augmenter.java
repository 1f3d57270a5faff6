package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.FlipTransform;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.RotationTransform;
import org.unet4j.dsl.recipe.ScaleTransform;
import org.unet4j.dsl.recipe.ShiftTransform;
import org.unet4j.dsl.recipe.TransformSpec;

/**
 * Turns an {@link AugmentationSpec} into augmented training tiles (paper Sec. 3.1).
 *
 * <p>For one sample and seed: the geometric transforms of the spec (elastic, flip, rotation,
 * shift, scale) that fire, each with its probability, are composed in list order into one
 * {@link Warp}; image, labels and weights are resampled once under it (image with the spec's
 * interpolation, labels and weights nearest neighbour, mirrored beyond the border); then the
 * gray-value transforms are applied to the image in list order, and finally the user's
 * {@link Augmentation}s in the order they were added.
 *
 * <p>Every random number comes from SplitMix64 streams derived from the seed alone, one stream per
 * transform (by its position in the list), so the same seed gives bit-identical tiles on every
 * machine and thread, and changing one transform does not change the draws of the others. Use
 * {@link Seeds#forSample} to give every sample of a run its own seed.
 *
 * <p>Immutable and thread-safe: one augmenter can serve any number of loader threads.
 */
public final class Augmenter {
  /** Stream of the tile position in {@link #randomTile}, apart from the transforms' streams 0, 1, ... */
  private static final long POSITION_STREAM = -1;

  private final AugmentationSpec spec;
  private final ImmutableList<Augmentation> extensions;

  private Augmenter(AugmentationSpec spec, ImmutableList<Augmentation> extensions) {
    this.spec = spec;
    this.extensions = extensions;
  }

  /** An augmenter for {@code spec} with no user augmentations. */
  public static Augmenter of(AugmentationSpec spec) {
    checkNotNull(spec, "spec");
    return new Augmenter(spec, ImmutableList.of());
  }

  /** A copy that also applies {@code augmentation} after the built-in transforms and the ones added before. */
  public Augmenter andThen(Augmentation augmentation) {
    checkNotNull(augmentation, "augmentation");
    return new Augmenter(spec, ImmutableList.<Augmentation>builder().addAll(extensions).add(augmentation).build());
  }

  public AugmentationSpec spec() {
    return spec;
  }

  /** The user augmentations, in the order they are applied. */
  public List<Augmentation> extensions() {
    return extensions;
  }

  /** The geometric map drawn for {@code seed} on tiles of {@code shape} (the elastic lattice spans the image tile). */
  public Warp warp(TileShape shape, long seed) {
    checkNotNull(shape, "shape");
    return drawGeometries(spec, seed, Warp.identity(), (warp, transform, random) ->
        drawGeometry(warp, transform, shape, random));
  }

  /** One geometric transform composed onto the warp drawn so far ({@link #drawGeometries}). */
  interface GeometryDraw<W> {
    W draw(W warp, TransformSpec transform, SplitMix64 random);
  }

  /**
   * The geometric transforms of {@code spec} drawn for {@code seed}, composed onto {@code identity}
   * in order: transform i draws from its own stream {@code Seeds.derive(seed, i)}, first whether it
   * applies, so that a transform's draw does not depend on the others' and 2D and 3D tiles share
   * one seeding rule. Gray-value transforms are skipped here (they change values, not geometry).
   */
  static <W> W drawGeometries(AugmentationSpec spec, long seed, W identity, GeometryDraw<W> draw) {
    W warp = identity;
    List<TransformSpec> transforms = spec.transforms();
    for (int i = 0; i < transforms.size(); i++) {
      TransformSpec transform = transforms.get(i);
      if (transform instanceof GrayValueTransform) {
        continue;
      }
      SplitMix64 random = new SplitMix64(Seeds.derive(seed, i));
      if (random.nextDouble() < transform.probability()) {
        warp = draw.draw(warp, transform, random);
      }
    }
    return warp;
  }

  /**
   * The augmented tile whose image tile, before warping, starts at pixel ({@code top}, {@code left})
   * of the sample; the position may lie partly or wholly outside, which is filled by mirroring.
   */
  public Tile tile(Sample sample, TileShape shape, int top, int left, long seed) {
    checkNotNull(sample, "sample");
    Tile tile = warp(shape, seed).resample(sample, shape, top, left, spec.interpolation());
    List<TransformSpec> transforms = spec.transforms();
    for (int i = 0; i < transforms.size(); i++) {
      if (transforms.get(i) instanceof GrayValueTransform gray) {
        SplitMix64 random = new SplitMix64(Seeds.derive(seed, i));
        if (random.nextDouble() < gray.probability()) {
          applyGrayValue(tile.image(), tile.channels(), gray, random);
        }
      }
    }
    for (int j = 0; j < extensions.size(); j++) {
      extensions.get(j).augment(tile, new SplitMix64(Seeds.derive(seed, transforms.size() + j)));
    }
    return tile;
  }

  /**
   * An augmented tile at a random position drawn from {@code seed}: the label crop's top-left
   * pixel is uniform over the positions where the crop lies inside the sample (or, for a sample
   * smaller than the crop, where the sample lies inside the crop).
   */
  public Tile randomTile(Sample sample, TileShape shape, long seed) {
    checkNotNull(sample, "sample");
    checkNotNull(shape, "shape");
    SplitMix64 random = new SplitMix64(Seeds.derive(seed, POSITION_STREAM));
    int labelTop = randomStart(sample.height(), shape.labelHeight(), random);
    int labelLeft = randomStart(sample.width(), shape.labelWidth(), random);
    return tile(sample, shape, labelTop - shape.labelTop(), labelLeft - shape.labelLeft(), seed);
  }

  /** The whole sample augmented, same size, labels and weights uncropped. */
  public Sample apply(Sample sample, long seed) {
    checkNotNull(sample, "sample");
    Tile tile = tile(sample, TileShape.uncropped(sample.height(), sample.width()), 0, 0, seed);
    return new Sample(sample.height(), sample.width(), sample.channels(), tile.image(), tile.labels(), tile.weights());
  }

  /** A crop's start along one axis, uniform as {@link #randomTile} says; shared with volumes. */
  static int randomStart(int size, int crop, SplitMix64 random) {
    int span = Math.abs(size - crop);
    int offset = random.nextInt(span + 1);
    return size >= crop ? offset : -offset;
  }

  private static Warp drawGeometry(Warp warp, TransformSpec transform, TileShape shape, SplitMix64 random) {
    if (transform instanceof ElasticTransform elastic) {
      return warp.elastic(ElasticField.random(
          elastic.grid(), elastic.sigma(), shape.imageHeight(), shape.imageWidth(), random));
    }
    if (transform instanceof RotationTransform rotation) {
      return warp.rotate(random.uniform(-rotation.maxDegrees(), rotation.maxDegrees()));
    }
    if (transform instanceof ShiftTransform shift) {
      double dy = random.uniform(-shift.maxPixels(), shift.maxPixels());
      double dx = random.uniform(-shift.maxPixels(), shift.maxPixels());
      return warp.shift(dy, dx);
    }
    if (transform instanceof FlipTransform flip) {
      // Dihedral: 4 quarter turns, each with or without a mirror; mirrors: the 4 of them.
      if (flip.symmetry() == FlipTransform.Symmetry.DIHEDRAL) {
        int k = random.nextInt(8);
        Warp turned = warp.quarterTurns(k % 4);
        return k >= 4 ? turned.mirrorLeftRight() : turned;
      }
      int k = random.nextInt(4);
      Warp mirrored = (k & 1) != 0 ? warp.mirrorLeftRight() : warp;
      return (k & 2) != 0 ? mirrored.mirrorUpDown() : mirrored;
    }
    if (transform instanceof ScaleTransform scale) {
      // Log-uniform, so that zooming in and out by the same factor are equally likely.
      double low = StrictMath.log(scale.minFactor());
      double high = StrictMath.log(scale.maxFactor());
      return warp.scale(StrictMath.exp(random.uniform(low, high)));
    }
    throw new IllegalStateException("not a geometric transform: " + transform);
  }

  /** The gray-value change drawn from {@code random} applied to {@code image} (channels last); shared with volumes. */
  static void applyGrayValue(float[] image, int channels, GrayValueTransform gray, SplitMix64 random) {
    // All four are drawn whether or not they are zero, so each keeps its place in the stream.
    double offset = random.uniform(-gray.brightness(), gray.brightness());
    double factor = random.uniform(1 - gray.contrast(), 1 + gray.contrast());
    double gamma = random.uniform(1 - gray.gamma(), 1 + gray.gamma());
    if (gray.brightness() > 0) {
      GrayValues.brightness(image, offset);
    }
    if (gray.contrast() > 0) {
      GrayValues.contrast(image, channels, factor);
    }
    if (gray.gamma() > 0) {
      GrayValues.gamma(image, channels, gamma);
    }
    if (gray.noise() > 0) {
      GrayValues.noise(image, gray.noise(), random);
    }
  }
}
