package org.unet4j.dsl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.SpecException;

/**
 * Every user mistake the model DSL catches: it throws a {@link SpecException} whose message starts
 * with the spec path of the offending part and says what was received and what is allowed.
 */
class ModelBuilderErrorsTest {

  private static Arguments mistake(String what, Supplier<ModelSpec> build, String path, String message) {
    return Arguments.of(Named.of(what, build), path, message);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("bilinear upsampling in a 3D net",
            () -> UNet.builder().dimensions(3).depth(2).baseFilters(2).bilinearUpsampling().build(),
            "expanding[0].upsampling", "expanding[0].upsampling: bilinear upsampling is for 2D nets so far; a 3D"
                + " net takes up-conv"),
        mistake("convs(0) in the third stage",
            () -> UNet.builder().contracting(c -> c.stage(8).stage(16).stage(32, s -> s.convs(0))).build(),
            "contracting[2].convs", "contracting[2].convs: expected 1..8, got 0"),
        mistake("nine convolutions",
            () -> UNet.builder().contracting(c -> c.stage(8, s -> s.convs(9))).build(),
            "contracting[0].convs", "contracting[0].convs: expected 1..8, got 9"),
        mistake("convsPerStage(0) for every stage",
            () -> UNet.builder().depth(2).convsPerStage(0).build(),
            "contracting[0].convs", "contracting[0].convs: expected 1..8, got 0"),
        mistake("even kernel in a declared stage",
            () -> UNet.builder().contracting(c -> c.stage(8).stage(16, s -> s.conv(4).conv(4))).build(),
            "contracting[1].kernel", "contracting[1].kernel: expected an odd size so that crops stay centred"
                + " (1, 3, 5, ...), got 4"),
        mistake("even default kernel in the family shortcut",
            () -> UNet.builder().depth(2).kernel(2).build(),
            "contracting[0].kernel", "contracting[0].kernel: expected an odd size so that crops stay centred"
                + " (1, 3, 5, ...), got 2"),
        mistake("even kernel in the bottleneck",
            () -> UNet.builder().depth(2).bottleneck(16, s -> s.kernel(6)).build(),
            "bottleneck.kernel", "bottleneck.kernel: expected an odd size so that crops stay centred"
                + " (1, 3, 5, ...), got 6"),
        mistake("even kernel in an expanding stage",
            () -> UNet.builder().depth(2).expanding(e -> e.stage(8).stage(4, s -> s.conv(2))).build(),
            "expanding[1].kernel", "expanding[1].kernel: expected an odd size so that crops stay centred"
                + " (1, 3, 5, ...), got 2"),
        mistake("even head kernel",
            () -> UNet.builder().depth(2).head(2, OutputActivation.SOFTMAX).build(),
            "head.kernel", "head.kernel: expected an odd size so that crops stay centred (1, 3, 5, ...), got 2"),
        mistake("kernel 17",
            () -> UNet.builder().depth(1).kernel(17).build(),
            "contracting[0].kernel", "contracting[0].kernel: expected 1..15, got 17"),
        mistake("dropout 1.0 in a stage",
            () -> UNet.builder().contracting(c -> c.stage(8).stage(16, s -> s.dropout(1.0))).build(),
            "contracting[1].dropout", "contracting[1].dropout: expected 0 <= x < 1, got 1"),
        mistake("family dropout 1.0",
            () -> UNet.builder().depth(4).dropout(1.0).build(),
            "contracting[3].dropout", "contracting[3].dropout: expected 0 <= x < 1, got 1"),
        mistake("family dropout -0.5",
            () -> UNet.builder().depth(4).dropout(-0.5).build(),
            "contracting[3].dropout", "contracting[3].dropout: expected 0 <= x < 1, got -0.5"),
        mistake("more expanding than contracting stages",
            () -> UNet.builder().depth(2).expanding(e -> e.stage(8).stage(4).stage(2)).build(),
            "expanding", "expanding: expected at most 2 stages (one per contracting stage to pair with), got 3"),
        mistake("depth(3) with 4 declared stages",
            () -> UNet.builder().depth(3).contracting(c -> c.stage(8).stage(16).stage(32).stage(64)).build(),
            "contracting", "contracting: depth(3) was set but 4 stages were declared; drop depth() or declare"
                + " 3 stages"),
        mistake("no contracting stage",
            () -> UNet.builder().contracting(c -> {}).build(),
            "contracting", "contracting: expected 1..8 stages, got 0"),
        mistake("depth 0", () -> UNet.builder().depth(0).build(), "depth", "depth: expected 1..8, got 0"),
        mistake("depth 9", () -> UNet.builder().depth(9).baseFilters(1).build(), "depth",
            "depth: expected 1..8, got 9"),
        mistake("base filters too large for the depth",
            () -> UNet.builder().depth(4).baseFilters(8192).build(),
            "baseFilters", "baseFilters: expected 1..4096 at depth 4, got 8192"),
        mistake("classes 0", () -> UNet.builder().classes(0).build(), "classes",
            "classes: expected 1..1024, got 0"),
        mistake("input channels 0", () -> UNet.builder().inputChannels(0).build(), "inputChannels",
            "inputChannels: expected 1..64, got 0"),
        mistake("pooling 5", () -> UNet.builder().pooling(PoolingKind.AVERAGE, 5).build(), "pooling.size",
            "pooling.size: expected 2..4, got 5"),
        mistake("Pooling.max(5), refused by the record before the builder sees it",
            () -> UNet.builder().pooling(Pooling.max(5)).build(), "size", "size: expected 2..4, got 5"),
        mistake("zero filters",
            () -> UNet.builder().contracting(c -> c.stage(0)).build(),
            "contracting[0].filters", "contracting[0].filters: expected 1..65536, got 0"),
        mistake("zero filters in an expanding stage",
            () -> UNet.builder().depth(1).expanding(e -> e.stage(0)).build(),
            "expanding[0].filters", "expanding[0].filters: expected 1..65536, got 0"),
        mistake("conv(3).conv(4): an even kernel among a stage's own",
            () -> UNet.builder().contracting(c -> c.stage(8).stage(16, s -> s.conv(3).conv(4))).build(),
            "contracting[1].kernels[1]", "contracting[1].kernels[1]: conv2: expected an odd size 1..15 so that crops"
                + " stay centred (1, 3, 5, ...), got 4"),
        mistake("conv(5).conv(3).convs(3) in the bottleneck: two kernels for three convolutions",
            () -> UNet.builder().depth(1).bottleneck(16, s -> s.conv(5).conv(3).convs(3)).build(),
            "bottleneck.kernels", "bottleneck.kernels: lists 2 sizes for 3 convolutions; expected one odd size per"
                + " convolution (3) or [] for kernel 5 everywhere"),
        mistake("conv(1).conv(17) in an expanding stage",
            () -> UNet.builder().depth(1).expanding(e -> e.stage(8, s -> s.conv(1).conv(17))).build(),
            "expanding[0].kernels[1]", "expanding[0].kernels[1]: conv2: expected an odd size 1..15 so that crops"
                + " stay centred (1, 3, 5, ...), got 17"),
        mistake("3 groups for 16 channels",
            () -> UNet.builder().contracting(c -> c.stage(8).stage(16, s -> s.groupNorm(3))).build(),
            "contracting[1].groups", "contracting[1].groups: 3 groups do not divide 16 channels; expected a divisor"
                + " of 16: 1, 2, 4, 8, 16"),
        mistake("4 groups for a first convolution of 6 channels",
            () -> UNet.builder().contracting(c -> c.stage(8, s -> s.firstConvFilters(6).groupNorm(4))).build(),
            "contracting[0].groups", "contracting[0].groups: 4 groups do not divide 6 channels; expected a divisor"
                + " of 6 and 8: 1, 2"),
        mistake("group normalization without groups",
            () -> UNet.builder().depth(1).expanding(e -> e.stage(64, s -> s.normalization(Normalization.GROUP)))
                .build(),
            "expanding[0].groups", "expanding[0].groups: group normalization needs groups >= 1 that divide the"
                + " channels of every convolution (64)"),
        mistake("attention skips in a 3D net",
            () -> UNet.builder().dimensions(3).depth(2).baseFilters(2).attentionSkips().build(),
            "expanding[0].skip", "expanding[0].skip: attention skips are for 2D nets so far; a 3D net takes"
                + " center-crop or none"),
        mistake("strided-conv down-sampling in a 3D net",
            () -> UNet.builder().dimensions(3).depth(1).pooling(PoolingKind.STRIDED_CONV, 2).build(),
            "pooling.kind", "pooling.kind: strided-conv down-sampling is for 2D nets so far; a 3D net takes max or"
                + " average"));
  }

  @Test
  void blockSettingsThatWouldBeIgnoredAreRefused() {
    SpecException groups = assertThrows(SpecException.class, () -> new StageSpec(8, 2, 3, Padding.VALID,
        Activation.RELU, Normalization.BATCH, 0, 0, 0, 0, 4, Activation.DEFAULT_LEAKY_SLOPE, false));
    assertEquals("groups: only group normalization has groups; expected 0, got 4", groups.getMessage());
    SpecException slope = assertThrows(SpecException.class, () -> new ExpandingStageSpec(8, 2, 3, Padding.VALID,
        Activation.ELU, Normalization.NONE, 0, SkipMode.ATTENTION, 0, 0, 0, 0.1, true));
    assertEquals("leakySlope: only leaky-relu has a slope; expected the default 0.2, got 0.1", slope.getMessage());
    SpecException steep = assertThrows(SpecException.class, () -> UNet.builder().depth(1).leakyRelu(1.5).build());
    assertEquals("contracting[0].leakySlope: expected 0 <= x < 1, got 1.5", steep.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void mistakeIsReportedWithItsSpecPath(Supplier<ModelSpec> build, String path, String message) {
    SpecException e = assertThrows(SpecException.class, build::get);
    assertEquals(message, e.getMessage());
    assertEquals(path, e.path());
  }

  @Test
  void recordConstructorChecksTooWithoutABuilder() {
    SpecException e = assertThrows(SpecException.class, () -> new ModelSpec(1, 0, Pooling.max(2),
        List.of(StageSpec.paper(8)), StageSpec.paper(16), List.of(), HeadSpec.paper()));
    assertEquals("classes: expected 1..1024, got 0", e.getMessage());
    // A stage checks its own ranges: the bad one never reaches the model.
    SpecException convs = assertThrows(SpecException.class,
        () -> new StageSpec(16, 0, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0));
    assertEquals("convs: expected 1..8, got 0", convs.getMessage());
    SpecException head = assertThrows(SpecException.class, () -> new HeadSpec(17, OutputActivation.SOFTMAX));
    assertEquals("kernel: expected 1..15, got 17", head.getMessage());
    SpecException up = assertThrows(SpecException.class, () -> new ExpandingStageSpec(8, 2, 3, Padding.VALID,
        Activation.RELU, Normalization.NONE, Double.NaN, SkipMode.CENTER_CROP));
    assertEquals("dropout: expected 0 <= x < 1, got NaN", up.getMessage());
    SpecException tooMany = assertThrows(SpecException.class, () -> new ModelSpec(1, 2, Pooling.max(2),
        List.of(StageSpec.paper(8)), StageSpec.paper(16),
        List.of(ExpandingStageSpec.paper(8), ExpandingStageSpec.paper(4)), HeadSpec.paper()));
    assertEquals("expanding: expected at most 1 stages (one per contracting stage to pair with), got 2",
        tooMany.getMessage());
  }
}
