package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.json.SpecJson;

/**
 * Overlap-tile prediction (paper Fig. 2) and post-processing: the input tile, test-time
 * augmentation, the foreground threshold and clean-up of the instance labels.
 */
@Doc("Overlap-tile prediction, test-time augmentation and post-processing.")
public record InferenceSpec(
    @Doc("input tile size in pixels; must be valid for the model") @Default("572") @Range(min = 1, max = 65536)
        int tile,
    @Doc("tiles predicted together") @Default("1") @Range(min = 1, max = 256) int batchSize,
    @Doc("test-time augmentation, averaged after the inverse transform: none, mirrors (4) or dihedral (8)")
        @Default("\"none\"") TestTimeAugmentation tta,
    @Doc("foreground probability above which a pixel is foreground") @Default("0.5") @Range(min = 0, max = 1)
        double threshold,
    @Doc("objects smaller than this many pixels are dropped") @Default("0") @Range(min = 0, max = 1e9)
        int minObjectSize,
    @Doc("fill holes inside objects") @Default("false") boolean fillHoles,
    @Doc("instances from the foreground: connected components, components split by a seeded watershed on the"
        + " probability, or components split at the necks of their shape (distance-watershed)")
        @Default("\"components\"") InstanceMethod instances,
    @Doc("watershed seeds: object cores with a foreground probability above this")
        @Default("0.9") @Range(min = 0, max = 1) double seedThreshold,
    @Doc("what NAME_prob.tif holds: the probability of foreground (cell), or of background (for ISBI 2012:"
        + " membrane, 1 = membrane, as the challenge scores it); instance labels and overlays show cells either way")
        @Default("\"foreground\"") ProbabilityOf probabilityOf,
    @Doc("instances of a net of 3 or more classes: 0 takes the foreground (every class but 0) as a 2-class net's;"
        + " a class c >= 1 (the interior class of a 3-class nuclei net) seeds one object per 4-connected component of"
        + " pixels whose most probable class is c and grows it into the foreground")
        @Default("0") @Range(min = 0, max = 255) int instanceClass,
    @Doc("distance-watershed seeds: maxima of an object's distance to the background that rise at least this many"
        + " pixels above the saddle to a higher one (h-maxima); a neck narrower than the nuclei by twice this cuts")
        @Default("2.0") @Range(min = 0.1, max = 1000) double seedDepth,
    @Doc("a net of 3 or more classes also writes NAME_class_labels.tif: for every class k >= 1, the 4-connected"
        + " components of the pixels whose most probable class is k as objects (minObjectSize and fillHoles apply);"
        + " true for a 2-class net is refused")
        @Default("false") boolean instancesPerClass,
    @Doc("a 3D net's input tile along z in planes (tile is the y and x size); 0 takes the valid size nearest tile")
        @Default("0") @Range(min = 0, max = 65536) int tileZ,
    @Doc("thin the boundaries between the regions above threshold to one-pixel dams: none; border, the border"
        + " thinning of the ISBI challenge's V_rand (the regions grow breadth-first, dams halfway between them); ridge,"
        + " a watershed of the foreground probability (the regions grow into the boundary pixels of highest foreground"
        + " probability first, dams on the boundary's ridge). Boundary pixels that join a region are raised just above threshold in"
        + " NAME_prob.tif, at most to threshold + 0.01 and in the order of their own probabilities, dams and every other"
        + " pixel keep theirs, and the instance labels are the thinned regions; for images that cells tile (EM"
        + " membranes); a 3D net's volumes are thinned whole, in 3D")
        @Default("\"none\"") ThinningMethod thinBoundaries,
    @Doc("ridge thinning only: boundary pixels whose foreground probability is below this are never thinned away,"
        + " so where the net is that sure of the boundary it stays as predicted; 0 thins every boundary pixel")
        @Default("0") @Range(min = 0, max = 1) double thinFloor) {

  /** The defaults of {@link #instances} and {@link #seedThreshold}. */
  private static final InstanceMethod DEFAULT_INSTANCES = InstanceMethod.COMPONENTS;
  private static final double DEFAULT_SEED_THRESHOLD = 0.9;
  /** The default of {@link #seedDepth}. */
  private static final double DEFAULT_SEED_DEPTH = 2.0;

  public InferenceSpec {
    checkNotNull(tta, "tta");
    checkNotNull(instances, "instances");
    checkNotNull(probabilityOf, "probabilityOf");
    checkNotNull(thinBoundaries, "thinBoundaries");
    Specs.checkComponent(InferenceSpec.class, "tile", tile);
    Specs.checkComponent(InferenceSpec.class, "batchSize", batchSize);
    Specs.checkComponent(InferenceSpec.class, "threshold", threshold);
    Specs.checkComponent(InferenceSpec.class, "minObjectSize", minObjectSize);
    Specs.checkComponent(InferenceSpec.class, "seedThreshold", seedThreshold);
    Specs.checkComponent(InferenceSpec.class, "instanceClass", instanceClass);
    Specs.checkComponent(InferenceSpec.class, "seedDepth", seedDepth);
    Specs.checkComponent(InferenceSpec.class, "tileZ", tileZ);
    Specs.checkComponent(InferenceSpec.class, "thinFloor", thinFloor);
    if (thinFloor > 0 && thinBoundaries != ThinningMethod.RIDGE) {
      throw new SpecException("thinFloor", "only ridge thinning stops at a floor, and thinBoundaries is "
          + JsonNames.of(thinBoundaries) + "; use thinBoundaries \"ridge\" or thinFloor 0 (border thinning floods"
          + " every boundary pixel, as the ISBI challenge's V_rand does)");
    }
  }

  /**
   * Boundaries as predicted ({@link #thinBoundaries} none): what every inference spec meant before those
   * fields.
   */
  public InferenceSpec(int tile, int batchSize, TestTimeAugmentation tta, double threshold, int minObjectSize,
      boolean fillHoles, InstanceMethod instances, double seedThreshold, ProbabilityOf probabilityOf,
      int instanceClass, double seedDepth, boolean instancesPerClass, int tileZ) {
    this(tile, batchSize, tta, threshold, minObjectSize, fillHoles, instances, seedThreshold, probabilityOf,
        instanceClass, seedDepth, instancesPerClass, tileZ, ThinningMethod.NONE, 0);
  }

  /**
   * No instance labelling per class ({@link #instancesPerClass} false) and a 3D net's {@link #tileZ}
   * at 0, the valid size nearest {@link #tile}: what every inference spec meant before those fields.
   */
  public InferenceSpec(int tile, int batchSize, TestTimeAugmentation tta, double threshold, int minObjectSize,
      boolean fillHoles, InstanceMethod instances, double seedThreshold, ProbabilityOf probabilityOf,
      int instanceClass, double seedDepth) {
    this(tile, batchSize, tta, threshold, minObjectSize, fillHoles, instances, seedThreshold, probabilityOf,
        instanceClass, seedDepth, false, 0);
  }

  /** Instances from the foreground ({@link #instanceClass} 0), the distance watershed's depth at its default. */
  public InferenceSpec(int tile, int batchSize, TestTimeAugmentation tta, double threshold, int minObjectSize,
      boolean fillHoles, InstanceMethod instances, double seedThreshold, ProbabilityOf probabilityOf) {
    this(tile, batchSize, tta, threshold, minObjectSize, fillHoles, instances, seedThreshold, probabilityOf, 0,
        DEFAULT_SEED_DEPTH);
  }

  /** A foreground probability map. */
  public InferenceSpec(int tile, int batchSize, TestTimeAugmentation tta, double threshold, int minObjectSize,
      boolean fillHoles, InstanceMethod instances, double seedThreshold) {
    this(tile, batchSize, tta, threshold, minObjectSize, fillHoles, instances, seedThreshold,
        ProbabilityOf.FOREGROUND);
  }

  /** Connected-component instances (the watershed's fields at their defaults). */
  public InferenceSpec(int tile, int batchSize, TestTimeAugmentation tta, double threshold, int minObjectSize,
      boolean fillHoles) {
    this(tile, batchSize, tta, threshold, minObjectSize, fillHoles, DEFAULT_INSTANCES, DEFAULT_SEED_THRESHOLD);
  }

  /** Tile 572, no TTA, threshold 0.5, no clean-up. */
  public static InferenceSpec paper() {
    return new InferenceSpec(572, 1, TestTimeAugmentation.NONE, 0.5, 0, false);
  }

  /**
   * These settings with the given ones in place of theirs; a null keeps this spec's value. The
   * post-processing fields without a command-line override (minimum object size, hole filling, seed depth)
   * stay as they are.
   */
  public InferenceSpec overriddenBy(@Nullable Integer tile, @Nullable Integer batchSize,
      @Nullable TestTimeAugmentation tta, @Nullable Double threshold, @Nullable InstanceMethod instances,
      @Nullable Double seedThreshold) {
    return new InferenceSpec(tile != null ? tile : this.tile, batchSize != null ? batchSize : this.batchSize,
        tta != null ? tta : this.tta, threshold != null ? threshold : this.threshold, minObjectSize, fillHoles,
        instances != null ? instances : this.instances, seedThreshold != null ? seedThreshold : this.seedThreshold,
        probabilityOf, instanceClass, seedDepth, instancesPerClass, tileZ, thinBoundaries, thinFloor);
  }

  /** These settings with another tile. */
  public InferenceSpec withTile(int tile) {
    return new InferenceSpec(tile, batchSize, tta, threshold, minObjectSize, fillHoles, instances, seedThreshold,
        probabilityOf, instanceClass, seedDepth, instancesPerClass, tileZ, thinBoundaries, thinFloor);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final InferenceSpec DEFAULTS = SpecJson.defaults(InferenceSpec.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds an inference spec: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private int tile;
    private int batchSize;
    private TestTimeAugmentation tta;
    private double threshold;
    private int minObjectSize;
    private boolean fillHoles;
    private InstanceMethod instances;
    private double seedThreshold;
    private ProbabilityOf probabilityOf;
    private int instanceClass;
    private double seedDepth;
    private boolean instancesPerClass;
    private int tileZ;
    private ThinningMethod thinBoundaries;
    private double thinFloor;

    private Builder(InferenceSpec from) {
      this.tile = from.tile();
      this.batchSize = from.batchSize();
      this.tta = from.tta();
      this.threshold = from.threshold();
      this.minObjectSize = from.minObjectSize();
      this.fillHoles = from.fillHoles();
      this.instances = from.instances();
      this.seedThreshold = from.seedThreshold();
      this.probabilityOf = from.probabilityOf();
      this.instanceClass = from.instanceClass();
      this.seedDepth = from.seedDepth();
      this.instancesPerClass = from.instancesPerClass();
      this.tileZ = from.tileZ();
      this.thinBoundaries = from.thinBoundaries();
      this.thinFloor = from.thinFloor();
    }

    /** Input tile size in pixels; must be valid for the model. */
    public Builder tile(int tile) {
      this.tile = tile;
      return this;
    }

    public int tile() {
      return tile;
    }

    /** Tiles predicted together. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public int batchSize() {
      return batchSize;
    }

    /** Test-time augmentation, averaged after the inverse transform. */
    public Builder tta(TestTimeAugmentation tta) {
      this.tta = checkNotNull(tta, "tta");
      return this;
    }

    public TestTimeAugmentation tta() {
      return tta;
    }

    /** Foreground probability above which a pixel is foreground. */
    public Builder threshold(double threshold) {
      this.threshold = threshold;
      return this;
    }

    public double threshold() {
      return threshold;
    }

    /** Objects smaller than this many pixels are dropped. */
    public Builder minObjectSize(int minObjectSize) {
      this.minObjectSize = minObjectSize;
      return this;
    }

    public int minObjectSize() {
      return minObjectSize;
    }

    /** Whether holes inside objects are filled. */
    public Builder fillHoles(boolean fillHoles) {
      this.fillHoles = fillHoles;
      return this;
    }

    public boolean fillHoles() {
      return fillHoles;
    }

    /** Connected components, or components split by a seeded watershed. */
    public Builder instances(InstanceMethod instances) {
      this.instances = checkNotNull(instances, "instances");
      return this;
    }

    public InstanceMethod instances() {
      return instances;
    }

    /** Watershed seeds: object cores with a foreground probability above this. */
    public Builder seedThreshold(double seedThreshold) {
      this.seedThreshold = seedThreshold;
      return this;
    }

    public double seedThreshold() {
      return seedThreshold;
    }

    /** Whether the written probability map holds the foreground's or the background's probability. */
    public Builder probabilityOf(ProbabilityOf probabilityOf) {
      this.probabilityOf = checkNotNull(probabilityOf, "probabilityOf");
      return this;
    }

    public ProbabilityOf probabilityOf() {
      return probabilityOf;
    }

    /**
     * The class whose components seed the objects of a net of 3 or more classes (the interior class
     * of a 3-class nuclei net), or 0 for the foreground as a 2-class net's.
     */
    public Builder instanceClass(int instanceClass) {
      this.instanceClass = instanceClass;
      return this;
    }

    public int instanceClass() {
      return instanceClass;
    }

    /**
     * Distance-watershed seeds: maxima of an object's distance to the background at least this many
     * pixels above the saddle to a higher one.
     */
    public Builder seedDepth(double seedDepth) {
      this.seedDepth = seedDepth;
      return this;
    }

    public double seedDepth() {
      return seedDepth;
    }

    /**
     * Whether a net of 3 or more classes also writes one instance labelling per class k >= 1: the
     * components of the pixels whose most probable class is k.
     */
    public Builder instancesPerClass(boolean instancesPerClass) {
      this.instancesPerClass = instancesPerClass;
      return this;
    }

    public boolean instancesPerClass() {
      return instancesPerClass;
    }

    /** A 3D net's input tile along z in planes; 0 for the valid size nearest {@link #tile}. */
    public Builder tileZ(int tileZ) {
      this.tileZ = tileZ;
      return this;
    }

    public int tileZ() {
      return tileZ;
    }

    /**
     * Whether and how the boundaries between the regions above the threshold are thinned to one-pixel dams
     * ({@link ThinningMethod}), the boundary pixels that join a region raised just above the threshold. A method
     * other than ridge also sets {@link #thinFloor} to 0, since only ridge thinning has a floor.
     */
    public Builder thinBoundaries(ThinningMethod thinBoundaries) {
      this.thinBoundaries = checkNotNull(thinBoundaries, "thinBoundaries");
      if (thinBoundaries != ThinningMethod.RIDGE) {
        this.thinFloor = 0;
      }
      return this;
    }

    public ThinningMethod thinBoundaries() {
      return thinBoundaries;
    }

    /** Boundary pixels whose foreground probability is below this are never thinned away; 0 thins them all. */
    public Builder thinFloor(double thinFloor) {
      this.thinFloor = thinFloor;
      return this;
    }

    public double thinFloor() {
      return thinFloor;
    }

    public InferenceSpec build() {
      return new InferenceSpec(tile, batchSize, tta, threshold, minObjectSize, fillHoles, instances, seedThreshold,
          probabilityOf, instanceClass, seedDepth, instancesPerClass, tileZ, thinBoundaries, thinFloor);
    }
  }
}
