package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.unet4j.dsl.InvalidInputException;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.InferenceSpec;
import org.unet4j.dsl.recipe.InstanceMethod;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.TestTimeAugmentation;
import org.unet4j.labels.InstanceVolume;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.Volume;
import org.unet4j.recipes.data.VolumeSource;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelMismatchException;
import org.unet4j.recipes.model.ModelSource;

/**
 * Overlap-tile prediction of volumes of any size with a trained 3D net ({@code model.dimensions}
 * 3): the volume is normalised as in training (over all its voxels, {@code data.normalization}),
 * mirror-extended along z, y and x and cut into overlapping (z, y, x) tiles whose outputs abut
 * ({@link VolumeTiling}), so the result equals one pass of the net over the whole volume. The tile
 * is {@code inference.tile} along y and x and {@code inference.tileZ} planes along z (0: the valid
 * size nearest the tile). Where a volume is thinner than the mirrored context, the mirror is
 * reflected again and again ({@link org.unet4j.augment.Mirror}), so a volume of any size of at
 * least 1x1x1 is predicted.
 *
 * <p><b>Slabs.</b> The tiles are predicted slab by slab along z (a slab: one row of tiles along z,
 * {@code step_z} planes of output read from {@code tile_z} planes of input), and each plane is
 * handed on when finished ({@link VolumeOverlapTiles}): {@link #predictFile} writes it to
 * {@code NAME_prob.tif} at once, so a stack larger than memory streams through the memory of a
 * tile stack, and {@link #predictPlanes} predicts any range of planes alone, bit-identical to the
 * same planes of a whole prediction (how Spark splits a volume into work units).
 *
 * <p><b>Test-time augmentation</b> averages the predictions of transformed copies of the whole
 * volume, read back through the inverse transform ({@link VolumeTransform}): {@code mirrors} the 8
 * mirrors along z, y and x; {@code dihedral} adds the quarter turns about z (16 copies) where the
 * volume's y and x spacings are equal, and is the 8 mirrors where they differ (a turn would swap
 * them). No transform turns z into the plane.
 *
 * <p><b>Instances</b> are the 6-connected components of the voxels whose foreground probability is
 * above {@code inference.threshold}, with their holes filled when {@code inference.fillHoles} says so
 * (background not 6-connected to a face of the volume), those under {@code inference.minObjectSize}
 * voxels dropped, numbered in raster order of their first voxel. They are labelled as the planes
 * stream ({@link VolumeLabelling}), in the memory of a few planes and some bytes per object, not of
 * the volume. With {@code inference.instanceClass} (a net of 3 or more classes) the components of
 * that class seed the objects, which grow into the foreground as in images; that growing holds the
 * volume's foreground in memory ({@link VolumeInstances}).
 *
 * <p>May be used from several threads at once. Close it to free the native graph and session.
 */
public final class VolumePredictor implements AutoCloseable {
  private final ModelSource source;
  private final Recipe recipe;
  private final InferenceSpec inference;
  private final VolumeTiling tiling;
  private final TileModel model;
  private final VolumeOverlapTiles tiles;

  private VolumePredictor(ModelSource source, InferenceSpec inference, VolumeTiling tiling, TileModel model) {
    this.source = source;
    this.recipe = source.recipe();
    this.inference = inference;
    this.tiling = tiling;
    this.model = model;
    int batch = TileBatching.tilesPerBatch(recipe.model(), tiling.tile(), inference.batchSize(),
        copiesAtMost(inference.tta()));
    this.tiles = new VolumeOverlapTiles(tiling, model, recipe.model().inputChannels(), recipe.model().classes(),
        batch);
  }

  /**
   * Loads the weights of a 3D net for prediction with {@code inference}.
   *
   * @throws ModelMismatchException when the net is not 3D, the tile does not fit it (naming the
   *     axis and the nearest valid sizes) or differs from the block an export is compiled for, its
   *     output is coarser than its input, {@code inference} asks for watershed instances, which volumes do not
   *     have, or for classes the model lacks
   *     ({@link ModelMismatchException#requireClasses})
   */
  public static VolumePredictor open(ModelSource source, InferenceSpec inference) {
    VolumeTiling tiling = checkSettings(source, inference);
    Recipe recipe = source.recipe();
    Size3 tile = tiling.tile();
    if (source.kind() == ModelSource.Kind.EXPORT) {
      return new VolumePredictor(source, inference, tiling,
          new Predictor.ExportTiles(ExportedModel.load(source.directory())));
    }
    TileModel model = CheckpointTiles.restore(ModelCompiler.compile(recipe.model(), tile, recipe.training().seed()),
        checkNotNull(source.checkpoint(), "checkpoint"), tile.z(), tile.y(), tile.x(), recipe.model().inputChannels());
    return new VolumePredictor(source, inference, tiling, model);
  }

  /**
   * The checks of {@link #open} that need no TensorFlow, so that a batch job's driver can make them before any
   * worker starts: the model and {@code inference} as {@link #open} checks them.
   *
   * @return the tiling of {@code inference}'s tile
   * @throws ModelMismatchException as {@link #open}
   */
  public static VolumeTiling checkSettings(ModelSource source, InferenceSpec inference) {
    checkNotNull(source, "source");
    checkNotNull(inference, "inference");
    Recipe recipe = source.recipe();
    if (recipe.model().dimensions() != 3) {
      throw new ModelMismatchException(recipe.name() + ": a " + recipe.model().dimensions()
          + "D net predicts images (Predictor); VolumePredictor takes 3D nets");
    }
    VolumeTiling tiling;
    try {
      tiling = VolumeTiling.of(recipe.model(), inference.tile(), inference.tileZ());
    } catch (InvalidInputException e) {
      throw new ModelMismatchException("inference tile " + inference.tile() + " (z " + inference.tileZ() + ") does not"
          + " fit " + recipe.name() + ": " + e.getMessage(), e);
    }
    if (tiling.z().stride() > 1 || tiling.y().stride() > 1 || tiling.x().stride() > 1) {
      throw new ModelMismatchException(recipe.name() + ": the net's output is coarser than its input (stride "
          + tiling.z().stride() + "x" + tiling.y().stride() + "x" + tiling.x().stride() + ", fewer expanding than"
          + " contracting stages); volumes are predicted by nets with as many expanding as contracting stages");
    }
    if (inference.instances() != InstanceMethod.COMPONENTS) {
      throw new ModelMismatchException("inference.instances " + JsonNames.of(inference.instances()) + ": volumes of "
          + recipe.name() + " are labelled by the 6-connected components of their foreground (holes filled on"
          + " request) or seeded by inference.instanceClass, not by a watershed; set it to components");
    }
    ModelMismatchException.requireClasses(recipe, inference);
    Size3 tile = tiling.tile();
    if (source.kind() == ModelSource.Kind.EXPORT) {
      // The export's recipe states the block its graph is compiled for (ModelExport).
      Size3 compiled = VolumeTiling.of(recipe.model(), recipe.inference().tile(), recipe.inference().tileZ()).tile();
      if (!compiled.equals(tile)) {
        throw new ModelMismatchException("tile " + inference.tile() + " (z " + inference.tileZ() + ", a block of "
            + tile + "): the export " + source.directory() + " is compiled for the block " + compiled + " (tile "
            + compiled.y() + ", tileZ " + compiled.z() + "); predict with that tile, or export the run again with"
            + " tile " + inference.tile() + " and inference.tileZ " + tile.z());
      }
    }
    return tiling;
  }

  public ModelSource source() {
    return source;
  }

  /** The recipe the model was trained with. */
  public Recipe recipe() {
    return recipe;
  }

  /** The inference settings in use. */
  public InferenceSpec inference() {
    return inference;
  }

  /** The tile arithmetic along z, y and x. */
  public VolumeTiling tiling() {
    return tiling;
  }

  /** The transforms test-time augmentation averages for a volume of {@code spacing}. */
  List<VolumeTransform> transforms(VoxelSpacing spacing) {
    return VolumeTransform.of(inference.tta(), spacing);
  }

  /** Tiles predicted for planes {@code [fromZ, toZ)} of {@code volume}, test-time copies included. */
  public long tileCount(VolumeSource volume, int fromZ, int toZ) {
    return tiles.tileCount(volume.size(), transforms(spacing(volume)), fromZ, toZ);
  }

  /** {@link #predict(Volume, TileProgress)} without progress. */
  public VolumeProbabilities predict(Volume volume) {
    return predict(volume, TileProgress.NONE);
  }

  /**
   * The class probabilities of every voxel of {@code volume} (raw intensities, any size of at least
   * 1x1x1).
   *
   * @throws ModelMismatchException when the volume's channels differ from the model's input
   */
  public VolumeProbabilities predict(Volume volume, TileProgress progress) {
    checkNotNull(volume, "volume");
    VolumeSource source = VolumeSource.of(volume);
    return predictPlanes(source, normalization(source), 0, volume.size().z(), progress);
  }

  /**
   * The normalisation statistics of a whole volume as training computed them, read plane by plane:
   * what {@link #predictPlanes} needs, the same for every range of planes.
   */
  public NormalizationStats normalization(VolumeSource volume) {
    checkNotNull(volume, "volume");
    return NormalizationStats.of(volume.stackedPlanes(), recipe.data().normalization());
  }

  /**
   * The class probabilities of planes {@code [fromZ, toZ)} of {@code volume}: bit-identical to the
   * same planes of {@link #predict} of the whole volume, while reading only the planes the covering
   * slabs need (the planes plus the mirrored context). Ranges whose borders are multiples of
   * {@code tiling().z().step()} share no tiles without test-time augmentation.
   *
   * @param stats the normalisation of the whole volume ({@link #normalization})
   * @throws ModelMismatchException when the volume's channels differ from the model's input or the
   *     planes are not {@code 0 <= fromZ < toZ <= planes}
   */
  public VolumeProbabilities predictPlanes(VolumeSource volume, NormalizationStats stats, int fromZ, int toZ,
      TileProgress progress) {
    checkNotNull(volume, "volume");
    checkNotNull(stats, "stats");
    checkNotNull(progress, "progress");
    requireChannels(volume, "the volume");
    if (fromZ < 0 || fromZ >= toZ || toZ > volume.size().z()) {
      throw new ModelMismatchException("planes [" + fromZ + ", " + toZ + ") of a volume of " + volume.size().z()
          + " planes; give 0 <= from < to <= " + volume.size().z());
    }
    Size3 size = volume.size();
    int classes = recipe.model().classes();
    int plane = size.y() * size.x() * classes;
    float[] values = new float[Math.toIntExact((long) (toZ - fromZ) * plane)];
    stream(volume, stats, fromZ, toZ, (z, map) -> System.arraycopy(map.values(), 0, values, (z - fromZ) * plane,
        plane), progress);
    return new VolumeProbabilities(new Size3(toZ - fromZ, size.y(), size.x()), classes, values);
  }

  /** Predicts planes {@code [fromZ, toZ)}, handing each finished plane to {@code sink} in order. */
  void stream(VolumeSource volume, NormalizationStats stats, int fromZ, int toZ, VolumeOverlapTiles.PlaneSink sink,
      TileProgress progress) {
    tiles.predict(volume, stats, transforms(spacing(volume)), fromZ, toZ, sink, progress);
  }

  void requireChannels(VolumeSource volume, String what) {
    if (volume.channels() != recipe.model().inputChannels()) {
      throw new ModelMismatchException(what + " has " + volume.channels() + " channel(s) but the model reads "
          + recipe.model().inputChannels() + " (model.inputChannels)");
    }
  }

  private static VoxelSpacing spacing(VolumeSource volume) {
    return new VoxelSpacing(volume.calibration().pixelDepth(), volume.calibration().pixelHeight(),
        volume.calibration().pixelWidth());
  }

  /**
   * The probabilities as this predictor's inference writes and labels them: with {@code inference.thinBoundaries},
   * the boundaries between the regions above the threshold thinned in 3D ({@link BoundaryThinning}); otherwise
   * {@code probabilities} themselves. Give it the whole volume: thinning floods it all.
   */
  public VolumeProbabilities postProcessed(VolumeProbabilities probabilities) {
    checkNotNull(probabilities, "probabilities");
    return BoundaryThinning.thin(probabilities, inference.threshold(), inference.thinBoundaries(),
        inference.thinFloor());
  }

  /**
   * The instances of {@code probabilities} with this predictor's threshold, hole filling, minimum
   * object size and instance class: the labels {@link #predictFile} writes (give it {@link #postProcessed}
   * probabilities for those of a recipe that thins its boundaries).
   */
  public InstanceVolume labels(VolumeProbabilities probabilities) {
    checkNotNull(probabilities, "probabilities");
    Size3 size = probabilities.size();
    try (VolumeInstances instances = VolumeInstances.inMemory(size, inference)) {
      for (int z = 0; z < size.z(); z++) {
        instances.addPlane(probabilities.plane(z));
      }
      instances.finish();
      int plane = size.y() * size.x();
      int[] labels = new int[Math.toIntExact(size.voxels())];
      int[] planeLabels = new int[plane];
      try (VolumeInstances.Planes planes = instances.planes()) {
        for (int z = 0; z < size.z(); z++) {
          planes.next(planeLabels);
          System.arraycopy(planeLabels, 0, labels, z * plane, plane);
        }
      }
      return InstanceVolume.of(labels, size);
    }
  }

  /**
   * Predicts the TIFF stack {@code file} (its pages the planes) into {@code folder} as
   * {@code NAME_prob.tif}, {@code NAME_labels.tif} and an overlay per plane, streamed slab by slab
   * ({@link VolumeFilePrediction}).
   */
  public PredictedImage predictFile(Path file, String name, Path folder, Function<String, TileProgress> progress) {
    return predictFile(file, name, folder, Set.of(), progress);
  }

  /**
   * {@link #predictFile(Path, String, Path, Function)} that also writes the per-object outputs
   * {@code objectOutputs}: {@code NAME_objects.csv} (per object its voxels and volume, centroid in
   * voxels and in the calibration's unit, and bounding box), counted as the labels are written.
   *
   * @throws ModelMismatchException for {@link ObjectOutput#ROIS}: ROI sets are polygons in one
   *     plane, written for images only
   */
  public PredictedImage predictFile(Path file, String name, Path folder, Set<ObjectOutput> objectOutputs,
      Function<String, TileProgress> progress) {
    return new VolumeFilePrediction(this).predict(file, name, folder, objectOutputs, progress);
  }

  /**
   * Predicts planes {@code [fromZ, toZ)} of {@code volume} into the part file {@code part} (their
   * class probabilities, a float page per class for each plane, written under a temporary name and
   * renamed), normalised over the whole volume: one work unit of a volume split for a batch
   * engine. {@link #assemble} writes the volume's outputs from its parts.
   *
   * @throws ModelMismatchException when the volume's channels differ from the model's input
   */
  public void predictPart(VolumeSource volume, int fromZ, int toZ, Path part) {
    checkNotNull(volume, "volume");
    predictPart(volume, normalization(volume), fromZ, toZ, part);
  }

  /**
   * As {@link #predictPart(VolumeSource, int, int, Path)}, normalised by {@code stats}: the
   * {@link #normalization} of the whole volume, computed once for all its parts.
   */
  public void predictPart(VolumeSource volume, NormalizationStats stats, int fromZ, int toZ, Path part) {
    checkNotNull(volume, "volume");
    checkNotNull(stats, "stats");
    checkNotNull(part, "part");
    if (fromZ < 0 || fromZ >= toZ || toZ > volume.size().z()) {
      throw new ModelMismatchException("planes [" + fromZ + ", " + toZ + ") of a volume of " + volume.size().z()
          + " planes; give 0 <= from < to <= " + volume.size().z());
    }
    new VolumeFilePrediction(this).predictPart(volume, stats, fromZ, toZ, part);
  }

  /**
   * Writes the outputs of the stack {@code file} into {@code folder} from {@code parts} (each
   * written by {@link #predictPart}, in the order of their planes, together covering every plane
   * once) exactly as {@link #predictFile} writes them: the same planes, labelled and written
   * through the same writers.
   *
   * @throws org.unet4j.recipes.data.DataException when the parts do not cover the stack's planes
   *     once each, in its plane size
   */
  public PredictedImage assemble(Path file, String name, Path folder, List<Path> parts) {
    return assemble(file, name, folder, parts, Set.of());
  }

  /**
   * {@link #assemble(Path, String, Path, List)} that also writes the per-object outputs
   * {@code objectOutputs}, as {@link #predictFile(Path, String, Path, Set, Function)} does.
   */
  public PredictedImage assemble(Path file, String name, Path folder, List<Path> parts,
      Set<ObjectOutput> objectOutputs) {
    return new VolumeFilePrediction(this).assemble(file, name, folder, parts, objectOutputs);
  }

  /**
   * The most transformed copies test-time augmentation {@code tta} predicts for a volume: 1, 8
   * mirrors, or 16 with the quarter turns about z (8 where the volume's y and x spacings differ).
   */
  public static int copiesAtMost(TestTimeAugmentation tta) {
    return VolumeTransform.of(checkNotNull(tta, "tta"), VoxelSpacing.ISOTROPIC).size();
  }

  /** Frees the native graph and session. */
  @Override
  public void close() {
    model.close();
  }
}
