package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;

/** The final convolution to the model's classes (1x1 in the paper) and the output activation. */
@Doc("The final convolution to the classes and the output activation.")
public record HeadSpec(
    @Doc("odd kernel size of the final convolution (unpadded)") @Default("1") @Range(min = 1, max = 15)
        int kernel,
    @Doc("softmax (the paper) or sigmoid") @Default("\"softmax\"") OutputActivation activation) {

  public HeadSpec {
    checkNotNull(activation, "activation");
    Specs.checkComponent(HeadSpec.class, "kernel", kernel);
    StageSpec.checkOddKernel(kernel);
  }

  /** The paper's head: a 1x1 convolution and a pixel-wise soft-max. */
  public static HeadSpec paper() {
    return new HeadSpec(1, OutputActivation.SOFTMAX);
  }
}
