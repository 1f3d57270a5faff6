package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

/** Adam (Kingma and Ba 2015): converges far faster than SGD 0.99 on short CPU budgets. */
@TypeName("adam")
@Doc("Adam, for short training budgets.")
public record AdamOptimizer(
    @Doc("decay of the gradient's moving average") @Default("0.9") @Range(min = 0, max = 1, maxExclusive = true)
        double beta1,
    @Doc("decay of the squared gradient's moving average") @Default("0.999")
        @Range(min = 0, max = 1, maxExclusive = true) double beta2,
    @Doc("added to the denominator for stability") @Default("1e-7") @Range(min = 0, max = 1, minExclusive = true)
        double epsilon) implements OptimizerSpec {

  public AdamOptimizer {
    Specs.checkComponent(AdamOptimizer.class, "beta1", beta1);
    Specs.checkComponent(AdamOptimizer.class, "beta2", beta2);
    Specs.checkComponent(AdamOptimizer.class, "epsilon", epsilon);
  }

  /** The usual settings: beta1 0.9, beta2 0.999, epsilon 1e-7. */
  public static AdamOptimizer defaults() {
    return new AdamOptimizer(0.9, 0.999, 1e-7);
  }
}
