package org.unet4j.dsl.geometry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Named;
import org.unet4j.dsl.model.ExpandingBuilder;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.OutputActivation;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Pooling;
import org.unet4j.dsl.model.UNet;

/**
 * Tiny nets (4 base filters) covering the shapes Geometry has to handle, named for test reports.
 * The compiler's tests in {@code layers} compile every one of them.
 */
public final class TestNets {
  private TestNets() {}

  /**
   * The whole catalogue: the full depth x convs x kernel grid up to depth 3, a diagonal of it up
   * to depth 6, pooling 3, same and mixed padding, partial and skip-less nets.
   */
  public static List<Named<ModelSpec>> all() {
    List<Named<ModelSpec>> nets = new ArrayList<>();
    for (int depth = 1; depth <= 3; depth++) {
      for (int convs = 1; convs <= 3; convs++) {
        for (int kernel : new int[] {1, 3, 5}) {
          nets.add(family("valid", depth, convs, kernel, Padding.VALID, 2));
        }
      }
    }
    for (int depth = 4; depth <= 6; depth++) {
      nets.add(family("valid", depth, 1, 3, Padding.VALID, 2));
      nets.add(family("valid", depth, 2, 3, Padding.VALID, 2));
      nets.add(family("valid", depth, 3, 5, Padding.VALID, 2));
      nets.add(family("valid", depth, 2, 1, Padding.VALID, 2));
    }
    for (int depth = 1; depth <= 3; depth++) {
      nets.add(family("valid", depth, 1, 3, Padding.VALID, 3));
      nets.add(family("valid", depth, 2, 1, Padding.VALID, 3));
    }
    nets.add(family("valid", 4, 2, 3, Padding.VALID, 3));
    nets.add(family("valid", 2, 2, 3, Padding.VALID, 4));
    nets.addAll(same());
    nets.addAll(special());
    return nets;
  }

  /** Zero-padded nets only. */
  static List<Named<ModelSpec>> same() {
    List<Named<ModelSpec>> nets = new ArrayList<>();
    for (int depth = 1; depth <= 6; depth++) {
      nets.add(family("same", depth, 2, 3, Padding.SAME, 2));
    }
    nets.add(family("same", 3, 1, 5, Padding.SAME, 2));
    nets.add(family("same", 2, 2, 3, Padding.SAME, 3));
    nets.add(family("same", 2, 3, 3, Padding.SAME, 4));
    return nets;
  }

  /** Asymmetric, partial, skip-less and mixed-padding nets, each declared stage by stage. */
  static List<Named<ModelSpec>> special() {
    List<Named<ModelSpec>> nets = new ArrayList<>();
    for (int m = 0; m <= 2; m++) {
      int expandingStages = m;
      nets.add(Named.of("depth 3, " + m + " expanding stages", UNet.builder().depth(3).baseFilters(4)
          .expanding(e -> {
            for (int i = 0; i < expandingStages; i++) {
              e.stage(16 >> i);
            }
          })
          .build()));
    }
    nets.add(Named.of("depth 4 same, 2 expanding stages", UNet.builder().depth(4).baseFilters(4)
        .padding(Padding.SAME).expanding(e -> e.stage(32).stage(16)).build()));
    nets.add(Named.of("depth 2 pool 3, 1 expanding stage", UNet.builder().depth(2).baseFilters(4)
        .pooling(Pooling.max(3)).expanding(e -> e.stage(8)).build()));
    nets.add(Named.of("depth 3, no skip at expanding[1]", UNet.builder().depth(3).baseFilters(4)
        .expanding(e -> e.stage(16).stage(8, s -> s.noSkip()).stage(4)).build()));
    nets.add(Named.of("depth 2, no skips at all", UNet.builder().depth(2).baseFilters(4)
        .expanding(e -> e.stage(8, s -> s.noSkip()).stage(4, s -> s.noSkip())).build()));
    nets.add(Named.of("depth 3, no skip at expanding[0], 2 stages", UNet.builder().depth(3).baseFilters(4)
        .expanding(e -> e.stage(16, s -> s.noSkip()).stage(8)).build()));
    for (int depth = 2; depth <= 4; depth++) {
      nets.add(Named.of("depth " + depth + ", same contracting + valid expanding", mixed(depth, Padding.SAME,
          Padding.VALID)));
      nets.add(Named.of("depth " + depth + ", valid contracting + same expanding", mixed(depth, Padding.VALID,
          Padding.SAME)));
    }
    nets.add(Named.of("asymmetric depth 3", UNet.builder()
        .contracting(c -> c
            .stage(8, s -> s.conv(5))
            .stage(12, s -> s.conv(3).conv(3).conv(3))
            .stage(20, s -> s.conv(1).conv(1)))
        .bottleneck(24, s -> s.conv(3))
        .expanding(e -> e
            .stage(16, s -> s.conv(1))
            .stage(10, s -> s.conv(5).conv(5))
            .stage(6, s -> s.conv(3).conv(3).conv(3)))
        .build()));
    nets.add(Named.of("asymmetric depth 4, average pooling 2, dropout", UNet.builder()
        .pooling(Pooling.average(2))
        .contracting(c -> c
            .stage(4, s -> s.conv(3).conv(3))
            .stage(8, s -> s.conv(5))
            .stage(8, s -> s.conv(3).conv(3).padding(Padding.SAME))
            .stage(16, s -> s.conv(3).dropout(0.5)))
        .bottleneck(16, s -> s.conv(5).conv(5).dropout(0.5))
        .expanding(e -> e
            .stage(8, s -> s.conv(3).conv(3))
            .stage(8, s -> s.conv(3).padding(Padding.SAME))
            .stage(4, s -> s.conv(5).noSkip()))
        .build()));
    nets.add(Named.of("depth 2, 3x3 head", UNet.builder().depth(2).baseFilters(4)
        .head(3, OutputActivation.SOFTMAX).build()));
    nets.add(Named.of("depth 3 same, 5x5 head", UNet.builder().depth(3).baseFilters(4).padding(Padding.SAME)
        .head(5, OutputActivation.SIGMOID).build()));
    nets.add(Named.of("depth 1 pointwise, 5x5 head", UNet.builder().depth(1).baseFilters(4).kernel(1)
        .head(5, OutputActivation.SOFTMAX).build()));
    nets.add(Named.of("depth 1, 7x7 valid", UNet.builder().depth(1).baseFilters(4).kernel(7).build()));
    nets.add(Named.of("paper", UNet.paper()));
    nets.addAll(blocks());
    return nets;
  }

  /**
   * The block kinds beyond the paper's, each with valid and same padding: residual stages (identity
   * and projected shortcuts), attention-gated skips, strided-convolution down-sampling, and the
   * normalizations and activations (which leave the geometry as it is, but are compiled here too).
   */
  public static List<Named<ModelSpec>> blocks() {
    List<Named<ModelSpec>> nets = new ArrayList<>();
    for (Padding padding : Padding.values()) {
      String p = padding.name().toLowerCase(java.util.Locale.ROOT);
      nets.add(Named.of("depth 2 " + p + ", residual stages", UNet.builder().depth(2).baseFilters(4)
          .padding(padding).residual().build()));
      nets.add(Named.of("depth 2 " + p + ", attention skips, group norm", UNet.builder().depth(2).baseFilters(4)
          .padding(padding).attentionSkips().groupNorm(2).build()));
      nets.add(Named.of("depth 2 " + p + ", pool 3, residual + attention, GELU", UNet.builder().depth(2)
          .baseFilters(4).padding(padding).pooling(Pooling.max(3)).residual().attentionSkips()
          .activation(org.unet4j.dsl.model.Activation.GELU).build()));
      nets.add(Named.of("depth 3 " + p + ", strided-conv down-sampling, instance norm, leaky ReLU 0.1",
          UNet.builder().depth(3).baseFilters(4).padding(padding)
              .pooling(org.unet4j.dsl.model.PoolingKind.STRIDED_CONV, 2).instanceNorm().leakyRelu(0.1).build()));
    }
    for (int pool = 2; pool <= 3; pool++) {
      for (Padding padding : Padding.values()) {
        String p = padding.name().toLowerCase(java.util.Locale.ROOT);
        nets.add(Named.of("depth 2 " + p + ", pool " + pool + ", bilinear upsampling", UNet.builder().depth(2)
            .baseFilters(4).padding(padding).pooling(Pooling.max(pool)).bilinearUpsampling().build()));
      }
    }
    nets.add(Named.of("depth 2 valid, pool 4, bilinear upsampling", UNet.builder().depth(2).baseFilters(4)
        .pooling(Pooling.max(4)).bilinearUpsampling().build()));
    nets.add(Named.of("depth 3, bilinear + attention + residual, up-conv at expanding[1]", UNet.builder()
        .depth(3).baseFilters(4).bilinearUpsampling().attentionSkips().residual()
        .expanding(e -> e.stage(16).stage(8, s -> s.upsampling(org.unet4j.dsl.model.Upsampling.UP_CONV))
            .stage(4, s -> s.padding(Padding.SAME)))
        .build()));
    for (Padding padding : Padding.values()) {
      String p = padding.name().toLowerCase(java.util.Locale.ROOT);
      nets.add(Named.of("depth 2 " + p + ", per-convolution kernels 3-5, 5-1, 1-3-1, mirrored", UNet.builder()
          .baseFilters(4).padding(padding)
          .contracting(c -> c.stage(4, s -> s.conv(3).conv(5)).stage(8, s -> s.conv(5).conv(1)))
          .bottleneck(16, s -> s.conv(1).conv(3).conv(1))
          .build()));
      nets.add(Named.of("depth 2 " + p + ", per-convolution kernels with residual, attention, bilinear",
          UNet.builder().baseFilters(4).padding(padding).residual().attentionSkips().bilinearUpsampling()
              .contracting(c -> c.stage(4, s -> s.conv(1).conv(5).conv(3)).stage(6, s -> s.conv(3).conv(7)))
              .bottleneck(8, s -> s.conv(5).conv(3))
              .expanding(e -> e.stage(6, s -> s.conv(7).conv(1)).stage(4, s -> s.conv(3).conv(1).conv(5)))
              .build()));
    }
    nets.add(Named.of("asymmetric depth 3, residual and attention stage by stage", UNet.builder()
        .contracting(c -> c
            .stage(4, s -> s.conv(5).residual())
            .stage(6, s -> s.conv(3).conv(3).conv(3))
            .stage(8, s -> s.conv(1).conv(1).residual()))
        .bottleneck(8, s -> s.conv(3).residual().dropout(0.5))
        .expanding(e -> e
            .stage(8, s -> s.conv(1).attentionSkip().residual())
            .stage(6, s -> s.conv(5).conv(5).padding(Padding.SAME).attentionSkip())
            .stage(4, s -> s.conv(3).noSkip().residual()))
        .build()));
    return nets;
  }

  /**
   * Tiny 3D nets: isotropic, anisotropic (planar first stages, as for stacks with coarse z
   * spacing), z kernels and pooling that differ from x/y, same padding, partial expanding paths.
   */
  public static List<Named<ModelSpec>> volumes() {
    List<Named<ModelSpec>> nets = new ArrayList<>();
    nets.add(Named.of("3D depth 1, 3x3x3", UNet.builder().dimensions(3).depth(1).baseFilters(2).build()));
    nets.add(Named.of("3D depth 2, 3x3x3", UNet.builder().dimensions(3).depth(2).baseFilters(2).build()));
    nets.add(Named.of("3D depth 3, planar first stage", UNet.builder().dimensions(3).baseFilters(2)
        .contracting(c -> c.stage(2, s -> s.planar()).stage(4).stage(8))
        .bottleneck(16)
        .build()));
    nets.add(Named.of("3D depth 3, planar first two stages, 1x3x3 bottleneck", UNet.builder().dimensions(3)
        .contracting(c -> c.stage(2, s -> s.planar()).stage(4, s -> s.planar()).stage(8))
        .bottleneck(16, s -> s.kernelZ(1))
        .expanding(e -> e.stage(8).stage(4, s -> s.kernelZ(1)).stage(2, s -> s.planar()))
        .build()));
    nets.add(Named.of("3D depth 2, z pooling 1 then 3, 5 along z", UNet.builder().dimensions(3)
        .contracting(c -> c.stage(2, s -> s.poolZ(1).kernelZ(5)).stage(4, s -> s.poolZ(3)))
        .bottleneck(8)
        .build()));
    nets.add(Named.of("3D depth 2 pool 3, one expanding stage", UNet.builder().dimensions(3).depth(2)
        .baseFilters(2).pooling(Pooling.max(3)).expanding(e -> e.stage(4, s -> s.kernelZ(1))).build()));
    nets.add(Named.of("3D depth 2 same, planar first stage", UNet.builder().dimensions(3).padding(Padding.SAME)
        .contracting(c -> c.stage(2, s -> s.planar()).stage(4))
        .bottleneck(8)
        .build()));
    nets.add(Named.of("3D depth 2, 3x3x3 head, no skip at expanding[1]", UNet.builder().dimensions(3)
        .depth(2).baseFilters(2).head(3, OutputActivation.SOFTMAX)
        .expanding(e -> e.stage(4).stage(2, s -> s.noSkip()))
        .build()));
    nets.add(Named.of("3D depth 2, anisotropic, per-convolution kernels", UNet.builder().dimensions(3)
        .contracting(c -> c.stage(2, s -> s.conv(3).conv(5).planar()).stage(4, s -> s.conv(5).conv(1).kernelZ(3)))
        .bottleneck(8, s -> s.conv(1).conv(3))
        .expanding(e -> e.stage(4, s -> s.conv(3).conv(5).kernelZ(1)).stage(2, s -> s.conv(5).conv(3)))
        .build()));
    nets.add(Named.of("3D depth 1 same, per-convolution kernels, 1 along z", UNet.builder().dimensions(3)
        .padding(Padding.SAME).contracting(c -> c.stage(2, s -> s.conv(5).conv(3).kernelZ(1)))
        .bottleneck(4, s -> s.conv(3).conv(1))
        .build()));
    nets.add(Named.of("3D U-Net (Cicek et al.)", UNet.cicek()));
    return nets;
  }

  /** {@code depth} levels, filters 4, 8, 16, ...; every stage {@code convs} k x k convolutions. */
  static Named<ModelSpec> family(String label, int depth, int convs, int kernel, Padding padding, int pool) {
    ModelSpec net = UNet.builder().depth(depth).baseFilters(4).convsPerStage(convs).kernel(kernel)
        .padding(padding).pooling(Pooling.max(pool)).build();
    return Named.of(label + " depth " + depth + ", " + convs + "x conv" + kernel + ", pool " + pool, net);
  }

  /** Contracting path and bottleneck padded one way, expanding path the other. */
  static ModelSpec mixed(int depth, Padding down, Padding up) {
    Consumer<ExpandingBuilder> expanding = e -> {
      for (int i = 0; i < depth; i++) {
        e.stage(4 << (depth - 1 - i), s -> s.padding(up));
      }
    };
    return UNet.builder().depth(depth).baseFilters(4).padding(down).expanding(expanding).build();
  }
}
