package org.unet4j.augment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.FlipTransform;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.RotationTransform;
import org.unet4j.dsl.recipe.ScaleTransform;
import org.unet4j.dsl.recipe.ShiftTransform;
import org.unet4j.dsl.recipe.TransformSpec;

/**
 * {@link Augmenter} for volumes: the same {@link AugmentationSpec} turned into augmented 3D
 * training tiles, with the same seeding (one SplitMix64 stream per transform, by its place in the
 * list, derived from the seed alone: bit-identical tiles on every machine and thread) and one
 * resampling pass. What each transform does to a volume whose voxels measure
 * {@link VolumeSample#spacing()}:
 * <ul>
 *   <li><b>elastic</b>: a {@code grid x grid x grid} lattice (the 3D U-Net's 3x3x3 with grid 3);
 *       sigma is in x voxels, so along an axis whose voxels are s times as large it is sigma / s
 *       voxels: the same physical deformation in every direction;
 *   <li><b>flip</b>: mirrors along x, y and z, each with chance 1/2 (a mirror keeps the voxels'
 *       shape, so every stack allows all three); dihedral adds the quarter turns about z, but only
 *       where y and x spacings are equal (elsewhere a turn would swap unequal spacings);
 *   <li><b>rotation</b>: about the z axis, by an angle uniform in +-maxDegrees, in physical space;
 *   <li><b>shift</b>: in y and x by up to maxPixels; <b>scale</b>: the same zoom along every axis;
 *   <li><b>gray-value</b>: as for images, on all voxels.
 * </ul>
 * Immutable and thread-safe.
 */
public final class VolumeAugmenter {
  private static final long POSITION_STREAM = -1;

  private final AugmentationSpec spec;

  private VolumeAugmenter(AugmentationSpec spec) {
    this.spec = spec;
  }

  public static VolumeAugmenter of(AugmentationSpec spec) {
    checkNotNull(spec, "spec");
    return new VolumeAugmenter(spec);
  }

  public AugmentationSpec spec() {
    return spec;
  }

  /** The geometric map drawn for {@code seed} on input tiles of {@code input} voxels. */
  public VolumeWarp warp(Size3 input, VoxelSpacing spacing, long seed) {
    checkNotNull(input, "input");
    checkNotNull(spacing, "spacing");
    return Augmenter.drawGeometries(spec, seed, VolumeWarp.identity(), (warp, transform, random) ->
        drawGeometry(warp, transform, input, spacing, random));
  }

  /**
   * The augmented tile whose input block, before warping, starts at voxel {@code start} of the
   * sample (partly or wholly outside is filled by mirroring).
   */
  public VolumeTile tile(VolumeSample sample, Size3 input, Size3 output, Size3 start, long seed) {
    checkNotNull(sample, "sample");
    VolumeTile tile = warp(input, sample.spacing(), seed).resample(sample, input, output, start,
        spec.interpolation());
    List<TransformSpec> transforms = spec.transforms();
    for (int i = 0; i < transforms.size(); i++) {
      if (transforms.get(i) instanceof GrayValueTransform gray) {
        SplitMix64 random = new SplitMix64(Seeds.derive(seed, i));
        if (random.nextDouble() < gray.probability()) {
          Augmenter.applyGrayValue(tile.image(), tile.channels(), gray, random);
        }
      }
    }
    return tile;
  }

  /**
   * An augmented tile at a random position drawn from {@code seed}: along each axis the label
   * crop's first voxel is uniform over the positions where it lies inside the sample (or, where the
   * sample is smaller, where the sample lies inside the crop).
   */
  public VolumeTile randomTile(VolumeSample sample, Size3 input, Size3 output, long seed) {
    checkNotNull(sample, "sample");
    checkArgument(output.z() <= input.z() && output.y() <= input.y() && output.x() <= input.x(),
        "the label crop %s must fit in the input %s", output, input);
    SplitMix64 random = new SplitMix64(Seeds.derive(seed, POSITION_STREAM));
    int z = Augmenter.randomStart(sample.size().z(), output.z(), random) - (input.z() - output.z()) / 2;
    int y = Augmenter.randomStart(sample.size().y(), output.y(), random) - (input.y() - output.y()) / 2;
    int x = Augmenter.randomStart(sample.size().x(), output.x(), random) - (input.x() - output.x()) / 2;
    return tile(sample, input, output, new Size3(z, y, x), seed);
  }

  private static VolumeWarp drawGeometry(VolumeWarp warp, TransformSpec transform, Size3 input, VoxelSpacing spacing,
      SplitMix64 random) {
    VoxelSpacing unit = spacing.inXVoxels();
    if (transform instanceof ElasticTransform elastic) {
      double sigma = elastic.sigma();
      return warp.elastic(ElasticField3d.random(elastic.grid(), sigma / unit.z(), sigma / unit.y(), sigma, input,
          random));
    }
    if (transform instanceof RotationTransform rotation) {
      return warp.rotateAboutZ(random.uniform(-rotation.maxDegrees(), rotation.maxDegrees()), spacing);
    }
    if (transform instanceof ShiftTransform shift) {
      double dy = random.uniform(-shift.maxPixels(), shift.maxPixels());
      double dx = random.uniform(-shift.maxPixels(), shift.maxPixels());
      return warp.shift(0, dy, dx);
    }
    if (transform instanceof FlipTransform flip) {
      int k = random.nextInt(8);
      VolumeWarp flipped = warp;
      if (flip.symmetry() == FlipTransform.Symmetry.DIHEDRAL && spacing.squareInPlane()) {
        flipped = flipped.quarterTurns(random.nextInt(4));
      }
      flipped = (k & 1) != 0 ? flipped.mirror(Axis.X) : flipped;
      flipped = (k & 2) != 0 ? flipped.mirror(Axis.Y) : flipped;
      return (k & 4) != 0 ? flipped.mirror(Axis.Z) : flipped;
    }
    if (transform instanceof ScaleTransform scale) {
      double low = StrictMath.log(scale.minFactor());
      double high = StrictMath.log(scale.maxFactor());
      return warp.scale(StrictMath.exp(random.uniform(low, high)));
    }
    throw new IllegalStateException("not a geometric transform: " + transform);
  }
}
