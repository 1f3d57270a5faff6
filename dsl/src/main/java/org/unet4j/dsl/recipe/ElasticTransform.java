package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.json.SpecJson;

/**
 * The paper's elastic deformation (Sec. 3.1): random displacement vectors on a coarse
 * {@code grid x grid} grid, sampled from a Gaussian with {@code sigma} pixels standard deviation,
 * interpolated bicubically to every pixel.
 */
@TypeName("elastic")
@Doc("Elastic deformation: Gaussian displacements on a coarse grid, bicubically interpolated.")
public record ElasticTransform(
    @Doc("chance that a training sample gets this transform") @Default("1") @Range(min = 0, max = 1)
        double probability,
    @Doc("control points per axis (3 in the paper)") @Default("3") @Range(min = 2, max = 64) int grid,
    @Doc("displacement standard deviation in pixels (10 in the paper)") @Default("10")
        @Range(min = 0, max = 1000) double sigma) implements TransformSpec {

  public ElasticTransform {
    Specs.checkComponent(ElasticTransform.class, "probability", probability);
    Specs.checkComponent(ElasticTransform.class, "grid", grid);
    Specs.checkComponent(ElasticTransform.class, "sigma", sigma);
  }

  /** The paper's deformation: 3x3 grid, 10 px standard deviation, always applied. */
  public static ElasticTransform paper() {
    return new ElasticTransform(1, 3, 10);
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final ElasticTransform DEFAULTS = SpecJson.defaults(ElasticTransform.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds an elastic deformation: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private double probability;
    private int grid;
    private double sigma;

    private Builder(ElasticTransform from) {
      this.probability = from.probability();
      this.grid = from.grid();
      this.sigma = from.sigma();
    }

    /** Chance that a training sample gets this transform. */
    public Builder probability(double probability) {
      this.probability = probability;
      return this;
    }

    public double probability() {
      return probability;
    }

    /** Control points per axis. */
    public Builder grid(int grid) {
      this.grid = grid;
      return this;
    }

    public int grid() {
      return grid;
    }

    /** Displacement standard deviation in pixels. */
    public Builder sigma(double sigma) {
      this.sigma = sigma;
      return this;
    }

    public double sigma() {
      return sigma;
    }

    public ElasticTransform build() {
      return new ElasticTransform(probability, grid, sigma);
    }
  }
}
