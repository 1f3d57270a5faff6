package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

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
}
