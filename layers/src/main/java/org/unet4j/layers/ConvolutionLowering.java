package org.unet4j.layers;

/**
 * How the compiler turns convolutions and up-convolutions into TensorFlow ops. Both compute the
 * same function with the same variables ({@code [k, k, cin, cout]} kernels, {@code [p, p, cout,
 * cin]} up-convolution kernels), so checkpoints move freely between them; they differ in speed and
 * memory.
 */
public enum ConvolutionLowering {
  /**
   * TensorFlow's own kernels: {@code Conv2D} and {@code Conv2DBackpropInput}, whose gradients are
   * {@code Conv2DBackpropInput} and {@code Conv2DBackpropFilter}. Least memory. With TensorFlow's
   * Eigen kernels (oneDNN off) as fast as {@link #MATMUL} or faster; with oneDNN (on by default for
   * CPUs with AVX-512 VNNI) two to six times slower, worst for the deep layers of a U-Net (many
   * channels, small maps).
   */
  NATIVE,

  /**
   * Matrix multiplications, which TensorFlow runs near the machine's peak: a k x k convolution
   * gathers the k² input pixels under the kernel for every output pixel (im2col, one
   * {@code GatherV2}) and multiplies them with the kernel seen as a {@code [k k cin, cout]} matrix; a 1x1 convolution is
   * that multiplication alone; the p x p up-convolution with stride p is one multiplication to
   * {@code p² cout} channels followed by {@code DepthToSpace}. Each gradient is again a matrix
   * multiplication. The price is memory: the gathered patches of a layer are k² times its input
   * (and training keeps them for the backward pass), so a layer whose patches for one image would
   * exceed {@link ModelCompiler#PATCH_LIMIT_BYTES} falls back to {@link #NATIVE}.
   */
  MATMUL
}
