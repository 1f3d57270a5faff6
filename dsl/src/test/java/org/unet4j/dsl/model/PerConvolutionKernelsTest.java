package org.unet4j.dsl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.SpecJson;

/**
 * Per-convolution kernels: {@code conv(3).conv(5)} in either kind of stage, the spec's
 * {@code kernels} and the rule that ties it to {@code kernel}, JSON, and the counts of a small net
 * worked out by hand.
 */
class PerConvolutionKernelsTest {

  /**
   * Depth 1, one grey input channel, 2 classes: contracting 4 filters 3x3 then 5x5, bottleneck 8
   * filters 1x1 then 3x3, the mirrored expanding stage 3x3 then 5x5 on 4 + 4 channels, 1x1 head.
   */
  private static ModelSpec small() {
    return UNet.builder()
        .contracting(c -> c.stage(4, s -> s.conv(3).conv(5)))
        .bottleneck(8, s -> s.conv(1).conv(3))
        .build();
  }

  @Test
  void eachConvHasItsOwnKernelAndKernelIsTheFirst() {
    StageSpec stage = small().contracting().get(0);
    assertEquals(3, stage.kernel());
    assertEquals(List.of(3, 5), stage.kernels());
    assertEquals(3, stage.convKernel(1));
    assertEquals(5, stage.convKernel(2));
    assertEquals(2, stage.convs());
    assertEquals(List.of(1, 3), small().bottleneck().kernels());
  }

  @Test
  void mirroredAndDeclaredExpandingStagesTakeKernelsToo() {
    assertEquals(List.of(3, 5), small().expanding().get(0).kernels());
    ModelSpec net = UNet.builder().depth(1).baseFilters(4)
        .expanding(e -> e.stage(4, s -> s.conv(5).conv(1).conv(3)))
        .build();
    ExpandingStageSpec stage = net.expanding().get(0);
    assertEquals(5, stage.kernel());
    assertEquals(3, stage.convs());
    assertEquals(List.of(5, 1, 3), stage.kernels());
    assertEquals(1, stage.convKernelAlong(2, Axis.Y));
  }

  @Test
  void oneSizeThroughoutIsTheSameSpecAsKernelAlone() {
    ModelSpec listed = UNet.builder().contracting(c -> c.stage(4, s -> s.conv(5).conv(5))).bottleneck(8).build();
    ModelSpec uniform = UNet.builder().contracting(c -> c.stage(4, s -> s.convs(2).kernel(5))).bottleneck(8).build();
    assertEquals(uniform, listed);
    assertEquals(List.of(), listed.contracting().get(0).kernels());
    StageSpec spelled = new StageSpec(4, 2, 5, Padding.VALID, Activation.RELU, Normalization.NONE, 0, 0, 0, 0, 0,
        0.2, false, List.of(5, 5));
    assertEquals(uniform.contracting().get(0), spelled);
  }

  @Test
  void kernelSetsEveryConvolutionAndConvsRepeatsAUniformKernel() {
    StageSpec replaced = UNet.builder().contracting(c -> c.stage(4, s -> s.conv(3).conv(1).kernel(5)))
        .bottleneck(8).build().contracting().get(0);
    assertEquals(5, replaced.kernel());
    assertEquals(List.of(), replaced.kernels());
    assertEquals(2, replaced.convs());
    StageSpec repeated = UNet.builder().contracting(c -> c.stage(4, s -> s.conv(5).convs(3)))
        .bottleneck(8).build().contracting().get(0);
    assertEquals(3, repeated.convs());
    assertEquals(5, repeated.convKernel(3));
  }

  @Test
  void kernelMustBeTheFirstListedSize() {
    SpecException e = assertThrows(SpecException.class, () -> new StageSpec(4, 2, 5, Padding.VALID, Activation.RELU,
        Normalization.NONE, 0, 0, 0, 0, 0, 0.2, false, List.of(3, 5)));
    assertEquals("kernel: is the first convolution's kernel when kernels are listed; expected 3 (kernels [3, 5]),"
        + " got 5", e.getMessage());
  }

  @Test
  void kernelsAreReadAndWrittenInJsonAndRefusedWithTheirPath() {
    StageSpec stage = small().contracting().get(0);
    String json = SpecJson.toTree(stage).toString();
    assertEquals(true, json.endsWith("\"residual\":false,\"kernels\":[3,5]}"), json);
    assertEquals(stage, SpecJson.read(StageSpec.class, SpecJson.parse(json), "model.contracting[0]"));
    assertEquals(List.of(), SpecJson.read(StageSpec.class, SpecJson.parse("{\"filters\": 4}"), "").kernels());
    SpecException even = assertThrows(SpecException.class, () -> SpecJson.read(ExpandingStageSpec.class,
        SpecJson.parse("{\"filters\": 4, \"convs\": 3, \"kernels\": [3, 5, 6]}"), "model.expanding[1]"));
    assertEquals("model.expanding[1].kernels[2]: conv3: expected an odd size 1..15 so that crops stay centred"
        + " (1, 3, 5, ...), got 6", even.getMessage());
    SpecException count = assertThrows(SpecException.class, () -> SpecJson.read(StageSpec.class,
        SpecJson.parse("{\"filters\": 4, \"kernels\": [3, 5, 1]}"), "model.bottleneck"));
    assertEquals("model.bottleneck.kernels: lists 3 sizes for 2 convolutions; expected one odd size per"
        + " convolution (2) or [] for kernel 3 everywhere", count.getMessage());
  }

  /**
   * By hand, input 20: conv 3x3 18, conv 5x5 14, pool 7, 1x1 7, 3x3 5, up-conv 10, crop 14 to 10,
   * 3x3 8, 5x5 4, head 4. Parameters: 9x1x4+4, 25x4x4+4, 1x4x8+8, 9x8x8+8, 2x2x8x4+4 (up-conv),
   * 9x8x4+4, 25x4x4+4, 4x2+2 = 1906. Multiply-adds: 9x4x18², 25x16x14², 32x7², 72x8x5²,
   * 32x10² (up-conv), 288x8², 400x4², 8x4².
   */
  @Test
  void countsAndSizesAddUpEachConvolutionsOwnKernel() {
    ModelSpec net = small();
    Geometry g = net.geometry();
    assertEquals(4, g.outputSize(20));
    assertEquals(18, g.smallestValidInput());
    assertEquals(2, g.outputSize(18));
    assertEquals(8, g.margin());
    assertEquals(8, g.outputOrigin());
    assertEquals(1906, net.parameterCount());
    long macs = 9L * 4 * 18 * 18 + 25L * 16 * 14 * 14 + 32L * 7 * 7 + 72L * 8 * 5 * 5 + 32L * 10 * 10
        + 288L * 8 * 8 + 400L * 4 * 4 + 8L * 4 * 4;
    assertEquals(2 * macs, g.forwardFlops(20));
    // 1x1 head, 3x3 and 5x5 back to the up-conv (7 pixels), 4 coarse pixels, 3x3 and 1x1 (6), 12
    // fine pixels, 5x5 and 3x3: 18 input pixels
    assertEquals(18, g.receptiveField());
  }

  @Test
  void convKernelsNameEachConvolutionsWindow() {
    Map<String, String> kernels = small().geometry().convKernels();
    assertEquals(List.of("contracting/0/conv1", "contracting/0/conv2", "bottleneck/conv1", "bottleneck/conv2",
        "expanding/0/conv1", "expanding/0/conv2"), List.copyOf(kernels.keySet()));
    assertEquals(List.of("3x3", "5x5", "1x1", "3x3", "3x3", "5x5"), List.copyOf(kernels.values()));
    ModelSpec volume = UNet.builder().dimensions(3)
        .contracting(c -> c.stage(2, s -> s.conv(3).conv(5).kernelZ(1)))
        .bottleneck(4, s -> s.conv(1).conv(3))
        .build();
    assertEquals("1x5x5", volume.geometry(Axis.Z).convKernels().get("contracting/0/conv2"));
    assertEquals("1x1x1", volume.geometry(Axis.Y).convKernels().get("bottleneck/conv1"));
  }

  /**
   * A 3D stage: each convolution's in-plane kernel is its own and kernelZ the stage's. 1x3x3 then
   * 1x5x5 on 2 then 2 channels: 9x1x2+2 and 25x2x2+2 parameters; along z nothing is lost.
   */
  @Test
  void aVolumeStageKeepsItsKernelZForEveryConvolution() {
    ModelSpec net = UNet.builder().dimensions(3)
        .contracting(c -> c.stage(2, s -> s.conv(3).conv(5).kernelZ(1)))
        .bottleneck(4, s -> s.conv(1).conv(3).kernelZ(1))
        .build();
    List<LayerShape> layers = net.volumeGeometry().layers(new Size3(4, 20, 20));
    assertEquals(20, layers.get(0).parameters());
    assertEquals(102, layers.get(1).parameters());
    assertEquals(new Size3(4, 14, 14), new Size3(layers.get(1).depth(), layers.get(1).height(),
        layers.get(1).width()));
    assertEquals(1, net.contracting().get(0).convKernelAlong(2, Axis.Z));
    assertEquals(5, net.contracting().get(0).convKernelAlong(2, Axis.X));
  }
}
