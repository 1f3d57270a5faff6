package org.unet4j.dsl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model's blocks: their order, paths and kinds, what the compiler's lowering reads from them,
 * and a visitor that sees each kind.
 */
class BlocksTest {

  @Test
  void blocksFollowTheDataWithTheLayerPaths() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).residual().attentionSkips().dropout(0.5)
        .bilinearUpsampling().build();
    assertEquals(List.of("contracting/0/conv1", "contracting/0/conv2", "contracting/0/shortcut",
        "contracting/0/dropout", "contracting/0/pool", "bottleneck/conv1", "bottleneck/conv2", "bottleneck/shortcut",
        "bottleneck/dropout", "expanding/0/gate", "expanding/0/upsample", "expanding/0/upconv",
        "expanding/0/attention", "expanding/0/concat", "expanding/0/conv1", "expanding/0/conv2",
        "expanding/0/shortcut", "head"), net.blocks().stream().map(Block::path).toList());
    // the layers at a valid size are the blocks, one for one
    int n = net.geometry().smallestValidInput();
    assertEquals(net.blocks().stream().map(Block::path).toList(),
        net.geometry().layers(n).stream().map(LayerShape::path).toList());
  }

  /**
   * Each convolution carries its stage's normalization and non-linearity; a residual stage's last
   * one is activated only after its shortcut, whose input is that of the stage's conv1. The
   * convolution after bilinear upsampling is activated and never normalized.
   */
  @Test
  void blocksCarryWhatTheLoweringReads() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(4).residual().groupNorm(2).leakyRelu(0.1)
        .bilinearUpsampling().build();
    Block.Nonlinearity leaky = new Block.Nonlinearity(Activation.LEAKY_RELU, 0.1);
    List<String> convs = net.blocks().stream().filter(b -> b instanceof Block.Conv).map(b -> (Block.Conv) b)
        .peek(c -> assertEquals(leaky, c.nonlinearity(), c.path()))
        .map(c -> c.path() + " " + c.normalization() + " " + c.groups() + (c.activated() ? " activated" : "")
            + (c.opensStage() ? " opens" : ""))
        .toList();
    assertEquals(List.of("contracting/0/conv1 GROUP 2 activated opens", "contracting/0/conv2 GROUP 2",
        "bottleneck/conv1 GROUP 2 activated opens", "bottleneck/conv2 GROUP 2",
        "expanding/0/upconv NONE 0 activated", "expanding/0/conv1 GROUP 2 activated opens",
        "expanding/0/conv2 GROUP 2"), convs);
    assertEquals(List.of(leaky, leaky, leaky), net.blocks().stream().filter(b -> b instanceof Block.Shortcut)
        .map(b -> ((Block.Shortcut) b).nonlinearity()).toList());
    ModelSpec upConv = UNet.builder().depth(1).baseFilters(2).activation(Activation.ELU).build();
    assertEquals(List.of(new Block.Nonlinearity(Activation.ELU, Activation.DEFAULT_LEAKY_SLOPE)), upConv.blocks()
        .stream().filter(b -> b instanceof Block.UpConv).map(b -> ((Block.UpConv) b).nonlinearity()).toList());
  }

  /** Each visitor method is called for its own kind: a shortcut 1 -> 2 channels is projected (1x2 + 2). */
  @Test
  void theVisitorSeesEachKind() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).residual().attentionSkips().dropout(0.5)
        .pooling(PoolingKind.STRIDED_CONV, 2).build();
    Block.Visitor<String> names = new Block.Visitor<>() {
      @Override public String conv(Block.Conv b) { return "conv " + b.kernel(); }
      @Override public String pool(Block.Pool b) { return b.convolved() ? "down-conv" : "pool"; }
      @Override public String upConv(Block.UpConv b) { return "up-conv " + b.size(); }
      @Override public String upsample(Block.Upsample b) { return "upsample"; }
      @Override public String gate(Block.Gate b) { return "gate " + b.channels(); }
      @Override public String attention(Block.Attention b) { return "attention " + b.level(); }
      @Override public String concat(Block.Concat b) { return "concat " + b.channels(); }
      @Override public String shortcut(Block.Shortcut b) { return "shortcut " + b.parameters(); }
      @Override public String dropout(Block.Dropout b) { return "dropout " + b.rate(); }
      @Override public String head(Block.Head b) { return "head " + b.channels(); }
    };
    assertEquals(List.of("conv 3", "conv 3", "shortcut 4", "dropout 0.5", "down-conv", "conv 3", "conv 3",
        "shortcut 12", "dropout 0.5", "gate 1", "up-conv 2", "attention 0", "concat 4", "conv 3", "conv 3",
        "shortcut 10", "head 2"), net.blocks().stream().map(b -> b.accept(names)).toList());
  }
}
