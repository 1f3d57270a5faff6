package org.unet4j.dsl.model;

/**
 * The entry point of the model DSL.
 *
 * <pre>{@code
 * ModelSpec net = UNet.builder()
 *     .inputChannels(1).classes(2)
 *     .contracting(c -> c
 *         .stage(64, s -> s.conv(3).conv(3))
 *         .stage(128, s -> s.conv(3).conv(3)))
 *     .bottleneck(256, s -> s.conv(3).conv(3).dropout(0.5))
 *     .expandingMirrorsContracting()
 *     .build();
 * }</pre>
 */
public final class UNet {
  private UNet() {}

  /** A fresh builder; without further calls it builds the paper's shape without dropout. */
  public static ModelBuilder builder() {
    return new ModelBuilder();
  }

  /**
   * The paper's net (Ronneberger et al. 2015, Fig. 1): 23 convolutional layers, depth 4, 64 to 1024
   * filters, unpadded 3x3 convolutions with ReLU, 2x2 max pooling, 2x2 up-convolutions halving the
   * channels, centre-cropped skips, dropout 0.5 at the end of the contracting path (Sec. 3.1) and a
   * 1x1 head to 2 classes. 31,030,658 parameters; 572x572 in, 388x388 out.
   */
  public static ModelSpec paper() {
    return builder().inputChannels(1).classes(2).depth(4).baseFilters(64).dropout(0.5).build();
  }

  /**
   * The 3D U-Net of Çiçek et al. 2016 ("3D U-Net: learning dense volumetric segmentation from
   * sparse annotation", Fig. 1): 3 poolings of 2x2x2, unpadded 3x3x3 convolutions with batch norm
   * before each ReLU, stages of 32 then 64, 64 then 128, 128 then 256 filters, a 256-then-512
   * bottleneck, 2x2x2 up-convolutions that keep their channels, two convolutions per expanding
   * stage (256, 128, 64) and a 1x1x1 head to 3 classes. 116x132x132 voxels (z, y, x) in,
   * 28x44x44 out.
   */
  public static ModelSpec cicek() {
    return builder().dimensions(3).inputChannels(1).classes(3).batchNorm()
        .contracting(c -> c
            .stage(64, s -> s.firstConvFilters(32))
            .stage(128, s -> s.firstConvFilters(64))
            .stage(256, s -> s.firstConvFilters(128)))
        .bottleneck(512, s -> s.firstConvFilters(256))
        .expanding(e -> e
            .stage(256, s -> s.upConvFilters(512))
            .stage(128, s -> s.upConvFilters(256))
            .stage(64, s -> s.upConvFilters(128)))
        .build();
  }
}
