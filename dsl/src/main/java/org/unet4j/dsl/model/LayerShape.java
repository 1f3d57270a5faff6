package org.unet4j.dsl.model;

/**
 * One layer of a model at a given input size, batch 1: its graph path ({@code contracting/2/conv1},
 * the same name the compiler gives its variables), its output shape, its trainable parameters and
 * its forward FLOPs (2 x multiply-adds, counted for convolutions and up-convolutions only).
 */
public record LayerShape(String path, LayerKind kind, int height, int width, int channels,
    long parameters, long flops) {

  /** The output shape as people read it: {@code 568x568x64}. */
  public String shape() {
    return height + "x" + width + "x" + channels;
  }
}
