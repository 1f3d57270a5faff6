package org.unet4j.dsl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the builders produce: family shortcut, stage-by-stage declarations, defaults, immutability. */
class ModelBuilderTest {

  private static StageSpec stage(int filters, int convs, int kernel, Padding padding, double dropout) {
    return new StageSpec(filters, convs, kernel, padding, Activation.RELU, Normalization.NONE, dropout);
  }

  private static ExpandingStageSpec up(int filters, int convs, int kernel, Padding padding, SkipMode skip) {
    return new ExpandingStageSpec(filters, convs, kernel, padding, Activation.RELU, Normalization.NONE, 0.0,
        skip);
  }

  @Test
  void familyShortcutEqualsTheStageByStageDeclaration() {
    ModelSpec family = UNet.builder().depth(3).baseFilters(16).dropout(0.3).build();
    ModelSpec declared = UNet.builder()
        .contracting(c -> c
            .stage(16, s -> s.conv(3).conv(3))
            .stage(32, s -> s.conv(3).conv(3))
            .stage(64, s -> s.conv(3).conv(3).dropout(0.3)))
        .bottleneck(128, s -> s.conv(3).conv(3).dropout(0.3))
        .expanding(e -> e
            .stage(64, s -> s.conv(3).conv(3))
            .stage(32, s -> s.conv(3).conv(3))
            .stage(16, s -> s.conv(3).conv(3)))
        .build();
    ModelSpec records = new ModelSpec(1, 2, Pooling.max(2),
        List.of(StageSpec.paper(16), StageSpec.paper(32), StageSpec.paper(64).withDropout(0.3)),
        StageSpec.paper(128).withDropout(0.3),
        List.of(ExpandingStageSpec.paper(64), ExpandingStageSpec.paper(32), ExpandingStageSpec.paper(16)),
        HeadSpec.paper());
    assertEquals(declared, family);
    assertEquals(records, family);
    assertEquals(records.hashCode(), family.hashCode());
  }

  @Test
  void familyDefaultsCarryIntoEveryStage() {
    ModelSpec family = UNet.builder().inputChannels(3).classes(5).depth(2).baseFilters(8).convsPerStage(3)
        .kernel(5).padding(Padding.SAME).activation(Activation.ELU).batchNorm().pooling(Pooling.average(3))
        .head(3, OutputActivation.SIGMOID).build();
    ModelSpec declared = UNet.builder().inputChannels(3).classes(5).pooling(Pooling.average(3))
        .contracting(c -> c
            .stage(8, s -> s.conv(5).conv(5).conv(5).padding(Padding.SAME).activation(Activation.ELU).batchNorm())
            .stage(16, s -> s.convs(3).kernel(5).padding(Padding.SAME).activation(Activation.ELU)
                .normalization(Normalization.BATCH)))
        .bottleneck(32, s -> s.conv(5).conv(5).conv(5).padding(Padding.SAME).activation(Activation.ELU)
            .batchNorm())
        .expanding(e -> e
            .stage(16, s -> s.conv(5).conv(5).conv(5).padding(Padding.SAME).activation(Activation.ELU).batchNorm())
            .stage(8, s -> s.conv(5).conv(5).conv(5).padding(Padding.SAME).activation(Activation.ELU).batchNorm()))
        .head(3, OutputActivation.SIGMOID)
        .build();
    assertEquals(declared, family);
    StageSpec first = new StageSpec(8, 3, 5, Padding.SAME, Activation.ELU, Normalization.BATCH, 0.0);
    assertEquals(first, family.contracting().get(0));
    assertEquals(new HeadSpec(3, OutputActivation.SIGMOID), family.head());
    assertEquals(new Pooling(PoolingKind.AVERAGE, 3), family.pooling());
  }

  @Test
  void paperEqualsItsDeclarationInTheArchitectureSketch() {
    ModelSpec sketch = UNet.builder()
        .inputChannels(1).classes(2)
        .contracting(c -> c
            .stage(64, s -> s.conv(3).conv(3))
            .stage(128, s -> s.conv(3).conv(3))
            .stage(256, s -> s.conv(3).conv(3))
            .stage(512, s -> s.conv(3).conv(3).dropout(0.5)))
        .bottleneck(1024, s -> s.conv(3).conv(3).dropout(0.5))
        .expandingMirrorsContracting()
        .build();
    assertEquals(UNet.paper(), sketch);
    assertEquals(4, sketch.depth());
    // without further calls the builder gives the paper's shape without dropout
    ModelSpec plain = UNet.builder().build();
    assertNotEquals(UNet.paper(), plain);
    assertEquals(UNet.builder().depth(4).baseFilters(64).dropout(0.0).build(), plain);
  }

  @Test
  void dropoutLandsOnTheLastContractingStageAndTheBottleneckOnly() {
    ModelSpec paper = UNet.paper();
    assertEquals(List.of(0.0, 0.0, 0.0, 0.5), paper.contracting().stream().map(StageSpec::dropout).toList());
    assertEquals(0.5, paper.bottleneck().dropout());
    assertEquals(List.of(0.0, 0.0, 0.0, 0.0), paper.expanding().stream().map(ExpandingStageSpec::dropout).toList());
    ModelSpec shallow = UNet.builder().depth(1).dropout(0.25).build();
    assertEquals(0.25, shallow.contracting().get(0).dropout());
    assertEquals(0.25, shallow.bottleneck().dropout());
  }

  @ParameterizedTest(name = "depth {0}, base {1}")
  @CsvSource({"1, 64", "2, 8", "4, 64", "5, 16", "8, 2"})
  void familyFiltersDoubleDownAndMirrorUp(int depth, int base) {
    ModelSpec net = UNet.builder().depth(depth).baseFilters(base).build();
    List<Integer> down = new ArrayList<>();
    List<Integer> upward = new ArrayList<>();
    for (int level = 0; level < depth; level++) {
      down.add(base << level);
      upward.add(0, base << level);
    }
    assertEquals(depth, net.depth());
    assertEquals(down, net.contracting().stream().map(StageSpec::filters).toList());
    assertEquals(base << depth, net.bottleneck().filters());
    assertEquals(upward, net.expanding().stream().map(ExpandingStageSpec::filters).toList());
    net.expanding().forEach(e -> assertEquals(SkipMode.CENTER_CROP, e.skip()));
  }

  @Test
  void asymmetricNetKeepsEveryStageAsDeclared() {
    ModelSpec net = UNet.builder()
        .kernel(5)
        .contracting(c -> c
            .stage(8, s -> s.conv(3))
            .stage(12)
            .stage(20, s -> s.conv(1).conv(1).conv(1).padding(Padding.SAME)))
        .bottleneck(24, s -> s.convs(4))
        .expanding(e -> e
            .stage(16, s -> s.conv(3).noSkip())
            .stage(10, s -> s.skip(SkipMode.CENTER_CROP)))
        .build();
    assertEquals(List.of(
        stage(8, 1, 3, Padding.VALID, 0),
        stage(12, 2, 5, Padding.VALID, 0), // nothing declared: the model's defaults
        stage(20, 3, 1, Padding.SAME, 0)), net.contracting());
    assertEquals(stage(24, 4, 5, Padding.VALID, 0), net.bottleneck());
    assertEquals(List.of(
        up(16, 1, 3, Padding.VALID, SkipMode.NONE),
        up(10, 2, 5, Padding.VALID, SkipMode.CENTER_CROP)), net.expanding());
    assertEquals(3, net.depth());
    // 1+2+3 contracting, 4 bottleneck, (1+1) + (2+1) expanding, 1 head
    assertEquals(16, net.convolutionLayers());
  }

  @Test
  void fewerExpandingStagesThanContracting() {
    ModelSpec net = UNet.builder().depth(4).baseFilters(8).expanding(e -> e.stage(64).stage(32)).build();
    assertEquals(4, net.depth());
    assertEquals(List.of(up(64, 2, 3, Padding.VALID, SkipMode.CENTER_CROP),
        up(32, 2, 3, Padding.VALID, SkipMode.CENTER_CROP)), net.expanding());
    ModelSpec encoderOnly = UNet.builder().depth(2).expanding(e -> {}).build();
    assertEquals(List.of(), encoderOnly.expanding());
    // 2 x 2 contracting, 2 bottleneck, 1 head
    assertEquals(7, encoderOnly.convolutionLayers());
  }

  @Test
  void noSkipAtOneLevel() {
    ModelSpec net = UNet.builder().depth(3).baseFilters(4)
        .expanding(e -> e.stage(16).stage(8, s -> s.noSkip()).stage(4))
        .build();
    assertEquals(List.of(SkipMode.CENTER_CROP, SkipMode.NONE, SkipMode.CENTER_CROP),
        net.expanding().stream().map(ExpandingStageSpec::skip).toList());
  }

  @Test
  void specListsAreUnmodifiable() {
    ModelSpec net = UNet.paper();
    assertThrows(UnsupportedOperationException.class, () -> net.contracting().add(StageSpec.paper(8)));
    assertThrows(UnsupportedOperationException.class, () -> net.contracting().set(0, StageSpec.paper(8)));
    assertThrows(UnsupportedOperationException.class, () -> net.expanding().remove(0));
    assertThrows(UnsupportedOperationException.class, () -> net.expanding().clear());
  }

  @Test
  void specDoesNotShareTheCallersLists() {
    List<StageSpec> down = new ArrayList<>(List.of(StageSpec.paper(8), StageSpec.paper(16)));
    List<ExpandingStageSpec> upward = new ArrayList<>(List.of(ExpandingStageSpec.paper(16)));
    ModelSpec net = new ModelSpec(1, 2, Pooling.max(2), down, StageSpec.paper(32), upward, HeadSpec.paper());
    ModelSpec copy = new ModelSpec(1, 2, Pooling.max(2), List.copyOf(down), StageSpec.paper(32),
        List.copyOf(upward), HeadSpec.paper());
    down.add(StageSpec.paper(32));
    upward.clear();
    assertEquals(copy, net);
    assertEquals(2, net.contracting().size());
    assertEquals(1, net.expanding().size());
  }

  @Test
  void builderChangesAfterBuildDoNotReachTheSpec() {
    ModelBuilder builder = UNet.builder().depth(2).baseFilters(8);
    ModelSpec first = builder.build();
    ModelSpec again = builder.build();
    assertEquals(first, again);
    builder.depth(3).classes(4);
    assertEquals(2, first.depth());
    assertEquals(2, first.classes());
    assertEquals(3, builder.build().depth());
  }
}
