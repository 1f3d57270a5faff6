package org.unet4j.dsl.recipe;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.TypeName;

/**
 * Stochastic gradient descent with momentum, Caffe style as in the paper: acc = m acc + g,
 * w -= lr acc. The paper uses momentum 0.99 with batch 1 so that many previously seen samples
 * determine the update (Sec. 3).
 */
@TypeName("sgd")
@Doc("SGD with momentum (the paper: 0.99).")
public record SgdOptimizer(
    @Doc("momentum (0.99 in the paper)") @Default("0.99") @Range(min = 0, max = 1, maxExclusive = true)
        double momentum) implements OptimizerSpec {

  public SgdOptimizer {
    Specs.checkComponent(SgdOptimizer.class, "momentum", momentum);
  }

  /** The paper's optimizer: momentum 0.99. */
  public static SgdOptimizer paper() {
    return new SgdOptimizer(0.99);
  }
}
