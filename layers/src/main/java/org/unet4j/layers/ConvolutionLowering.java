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
  MATMUL,

  /**
   * Winograd's minimal filtering F(4x4, 3x3) (Lavin and Gray 2016) for the large 3x3 convolutions,
   * which takes 36 multiplications per 4x4 output block and channel pair where the direct form
   * takes 144: one gather collects the overlapping 6x6 input tiles (2.25 values per output pixel
   * where im2col collects 9), matrix products transform them and the kernel, one batched product
   * per tile position does the work, and one more product transforms back. Which layers are large,
   * and what the others become, follows measurements on CPUs with oneDNN on and off
   * ({@code ModelCompiler.WinogradRule}, {@code docs/performance.md}): with oneDNN the rest are
   * {@link #MATMUL} products (oneDNN's convolutions are slow) except layers of fewer than 8 input
   * channels, which keep {@code Conv2D}; without it the rest keep TensorFlow's Eigen convolutions,
   * which are faster there than the matrix forms. Results differ from the direct form by rounding
   * (a relative 5e-6 on the paper net's logits, against 1.4e-6 for {@link #MATMUL}).
   */
  WINOGRAD
}
