package org.unet4j.dsl.model;

/**
 * One layer of a model at a given input size, batch 1: its graph path ({@code contracting/2/conv1},
 * the same name the compiler gives its variables), its output shape ({@code depth} is the size
 * along z in a 3D net and 0 in a 2D one), its trainable parameters and its forward FLOPs (2 x
 * multiply-adds, counted for convolutions and up-convolutions only).
 */
public record LayerShape(String path, LayerKind kind, int depth, int height, int width, int channels,
    long parameters, long flops) {

  /** The output shape as people read it: {@code 568x568x64}, in a 3D net {@code 114x130x130x32} (z first). */
  public String shape() {
    return (depth > 0 ? depth + "x" : "") + height + "x" + width + "x" + channels;
  }
}
