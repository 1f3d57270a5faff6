package org.unet4j.dsl.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.model.Axis;
import org.unet4j.dsl.model.Geometry;
import org.unet4j.dsl.model.LayerKind;
import org.unet4j.dsl.model.LayerShape;
import org.unet4j.dsl.model.ModelSpec;
import org.unet4j.dsl.model.Padding;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.StageSpec;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.model.VolumeGeometry;

/**
 * The geometry of 3D nets against {@link ReferenceUNet} run along each axis (the reference applies
 * the documented z rules itself: {@code kernelZ}, {@code poolZ}), for every size 1..300 of every
 * net in {@link TestNets#volumes()}: validity, output size, the failing stage; then layer shapes,
 * parameters and FLOPs at a (z, y, x) input, recomputed from the reference's layers and the spec.
 */
class VolumeGeometryTest {
  private static final int SWEEP = 300;

  static Stream<Named<ModelSpec>> volumes() {
    return TestNets.volumes().stream();
  }

  @ParameterizedTest
  @MethodSource("volumes")
  void everyAxisMatchesTheReferenceForEveryInputUpTo300(ModelSpec net) {
    for (Axis axis : Axis.values()) {
      Geometry geometry = net.geometry(axis);
      for (int n = 1; n <= SWEEP; n++) {
        ReferenceUNet.Outcome ref = ReferenceUNet.probe(net, axis, n);
        String where = axis.label() + " = " + n;
        assertEquals(ref.valid(), geometry.isValidInput(n), where);
        if (ref.valid()) {
          assertEquals(ref.outputSize(), geometry.outputSize(n), where);
        } else {
          int size = n;
          SpecException e = assertThrows(SpecException.class, () -> geometry.outputSize(size), where);
          assertEquals(ref.failure(), e.path(), where);
          assertTrue(e.getMessage().contains("along " + axis.label()), e.getMessage());
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("volumes")
  void layersParametersAndFlopsMatchTheReference(ModelSpec net) {
    VolumeGeometry g = net.volumeGeometry();
    Size3 small = g.smallestValidInput();
    // y and x one period apart, so that a mix-up of axes shows
    Size3 input = new Size3(small.z(), small.y() + g.period().y(), small.x());
    List<LayerShape> layers = g.layers(input);
    List<ReferenceUNet.Layer> z = ReferenceUNet.run(net, Axis.Z, input.z(), false).layers();
    List<ReferenceUNet.Layer> y = ReferenceUNet.run(net, Axis.Y, input.y(), false).layers();
    List<ReferenceUNet.Layer> x = ReferenceUNet.run(net, Axis.X, input.x(), false).layers();
    assertEquals(z.size(), layers.size());
    long parameters = 0;
    long flops = 0;
    int channels = net.inputChannels();
    for (int i = 0; i < layers.size(); i++) {
      LayerShape got = layers.get(i);
      assertEquals(z.get(i).path(), got.path());
      assertEquals(z.get(i).size(), got.depth(), got.path());
      assertEquals(y.get(i).size(), got.height(), got.path());
      assertEquals(x.get(i).size(), got.width(), got.path());
      assertEquals(z.get(i).channels(), got.channels(), got.path());
      long kernelVolume = kernelVolume(net, got);
      long voxels = (long) got.depth() * got.height() * got.width();
      if (got.kind() == LayerKind.CONV || got.kind() == LayerKind.UP_CONV || got.kind() == LayerKind.HEAD) {
        boolean norm = got.kind() == LayerKind.CONV && net.contracting().get(0).normalization()
            != org.unet4j.dsl.model.Normalization.NONE;
        long expected = kernelVolume * channels * got.channels() + (norm ? 2L : 1L) * got.channels();
        assertEquals(expected, got.parameters(), got.path());
        // an up-convolution with window = stride gives each output voxel one input voxel
        long taps = got.kind() == LayerKind.UP_CONV ? 1 : kernelVolume;
        assertEquals(2 * voxels * taps * channels * got.channels(), got.flops(), got.path());
      }
      parameters += got.parameters();
      flops += got.flops();
      channels = got.channels();
    }
    assertEquals(parameters, net.parameterCount());
    assertEquals(flops, g.forwardFlops(input));
    assertEquals(new Size3(z.get(z.size() - 1).size(), y.get(y.size() - 1).size(), x.get(x.size() - 1).size()),
        g.outputSize(input));
  }

  /** The reference's dependency sets: widest window of input voxels an output voxel sees, per axis. */
  @ParameterizedTest
  @MethodSource("volumes")
  void receptiveFieldAlongEachAxisMatchesDependencySets(ModelSpec net) {
    if (net.bottleneck().padding() == Padding.SAME) {
      return; // zero padding clips windows at the border: ReceptiveFieldTest handles that in 2D
    }
    for (Axis axis : Axis.values()) {
      Geometry g = net.geometry(axis);
      int n = g.smallestValidInput() + 2 * g.period();
      BitSet[] deps = ReferenceUNet.run(net, axis, n, true).output().deps;
      int widest = 0;
      for (BitSet d : deps) {
        widest = Math.max(widest, d.length() - d.nextSetBit(0));
      }
      assertEquals(widest, g.receptiveField(), axis.label());
    }
  }

  /**
   * Çiçek et al. 2016, Fig. 1: 132x132x116 voxels in, 44x44x28 out; "19069955 parameters in
   * total". The count below is by hand, layer by layer: a 3x3x3 convolution from ci to co channels
   * has 27 ci co weights plus batch norm's scale and offset (2 co, no bias); an up-convolution
   * 8 c c weights and c biases; the head 64 x 3 + 3. It differs from the paper's figure by 1,504
   * (0.008%): bias and normalisation bookkeeping the paper does not spell out.
   */
  @Test
  void cicekNetHasThePapersShapesAndAbout19MillionParameters() {
    ModelSpec net = UNet.cicek();
    VolumeGeometry g = net.volumeGeometry();
    assertEquals(new Size3(28, 44, 44), g.outputSize(new Size3(116, 132, 132)));
    long byHand = conv(1, 32) + conv(32, 64) + conv(64, 64) + conv(64, 128) + conv(128, 128) + conv(128, 256)
        + conv(256, 256) + conv(256, 512)
        + up(512) + conv(768, 256) + conv(256, 256)
        + up(256) + conv(384, 128) + conv(128, 128)
        + up(128) + conv(192, 64) + conv(64, 64)
        + 64 * 3 + 3;
    assertEquals(19_071_459L, byHand);
    assertEquals(byHand, net.parameterCount());
    assertEquals(19_069_955, net.parameterCount(), 19_069_955 * 1e-4);
    // z: 116 -4-> 112 /2 56 -4-> 52 /2 26 -4-> 22 /2 11 -4-> 7; up: 14 -4-> 10, 20 -4-> 16, 32 -4-> 28
    assertEquals(List.of(112, 56, 52, 26, 22, 11, 7, 14, 10, 20, 16, 32, 28), sizesAlongZ(g, 116));
    // every output voxel sees 88 input voxels along each axis: (116 - 28) / 2 = 44 per side
    assertEquals(new Size3(44, 44, 44), g.margin());
    assertEquals(new Size3(8, 8, 8), g.period());
  }

  private static List<Integer> sizesAlongZ(VolumeGeometry g, int z) {
    return g.layers(new Size3(z, 132, 132)).stream()
        .filter(l -> l.kind() == LayerKind.POOL || l.kind() == LayerKind.UP_CONV
            || l.path().endsWith("conv2"))
        .map(LayerShape::depth).toList();
  }

  private static long conv(int in, int out) {
    return 27L * in * out + 2L * out;
  }

  private static long up(int channels) {
    return 8L * channels * channels + channels;
  }

  @Test
  void anisotropicNetKeepsZWhereItIsPlanar() {
    ModelSpec net = UNet.builder().dimensions(3)
        .contracting(c -> c.stage(8, s -> s.planar()).stage(16))
        .bottleneck(32)
        .build();
    // z: 1x3x3 twice keeps 20, pool 1 keeps it, 3x3x3 twice 16, pool 8, bottleneck 4, up 8, -4 = 4,
    // up (x1 along z) 4, 1x3x3 twice keeps 4; y/x: 100 -4 96 /2 48 -4 44 /2 22 -4 18 x2 36 -4 32 x2 64 -4 60
    assertEquals(new Size3(4, 60, 60), net.volumeGeometry().outputSize(new Size3(20, 100, 100)));
    List<LayerShape> layers = net.volumeGeometry().layers(new Size3(20, 100, 100));
    LayerShape first = layers.get(0);
    assertEquals("contracting/0/conv1", first.path());
    assertEquals("20x98x98x8", first.shape());
    assertEquals(9L * 8 + 8, first.parameters(), "a 1x3x3 kernel");
    LayerShape upconv = layers.stream().filter(l -> l.path().equals("expanding/1/upconv")).findFirst().orElseThrow();
    assertEquals(4L * 16 * 8 + 8, upconv.parameters(), "a 1x2x2 up-convolution from 16 channels to 8");
  }

  @Test
  void invalidVolumesNameTheStageTheAxisAndTheNearestSizes() {
    ModelSpec net = UNet.builder().dimensions(3).depth(2).baseFilters(2).build();
    SpecException e = assertThrows(SpecException.class,
        () -> net.volumeGeometry().outputSize(new Size3(47, 44, 44)));
    assertEquals("contracting[0].pool", e.path());
    assertEquals("contracting[0].pool: 2x2x2 max pooling needs a size divisible by 2 along z, got 43. "
        + "Received: input 47 along z; valid near it: 44, 48", e.getMessage());
    SpecException x = assertThrows(SpecException.class,
        () -> net.volumeGeometry().layers(new Size3(44, 48, 4)));
    assertTrue(x.getMessage().startsWith("contracting[0]: conv2 (3x3x3, unpadded) leaves no pixels of 2. "
        + "Received: input 4 along x"), x.getMessage());
    assertNull(net.volumeGeometry().whyInvalid(new Size3(44, 48, 52)));
    assertNotNull(net.volumeGeometry().whyInvalid(new Size3(44, 49, 52)));
  }

  /**
   * One level, 2x2 in-plane and 4 along z, unpadded 3x3x3 convolutions. Along y (by hand): n - 4
   * must be even and the output 2((n - 4)/2 - 4) - 4 positive, so 18, 20, 22, ...; along z: n - 4
   * divisible by 4 and 4((n - 4)/4 - 4) - 4 positive, so 28, 32, 36, ... A tile of 30 stands for
   * 28 along z (28 and 32 are as near: the lower), 26 for 28 (none below), 31 is refused in-plane.
   */
  @Test
  void aTileStandsForTheNearestValidVolume() {
    ModelSpec net = UNet.builder().dimensions(3).contracting(c -> c.stage(2, s -> s.poolZ(4))).bottleneck(4).build();
    assertEquals(new Size3(28, 30, 30), net.volumeGeometry().inputForTile(30));
    assertEquals(new Size3(28, 26, 26), net.volumeGeometry().inputForTile(26));
    assertEquals(new Size3(32, 34, 34), net.volumeGeometry().inputForTile(34));
    SpecException e = assertThrows(SpecException.class, () -> net.volumeGeometry().inputForTile(31));
    assertEquals("contracting[0].pool: 4x2x2 max pooling needs a size divisible by 2 along y, got 27. "
        + "Received: input 31 along y; valid near it: 30, 32", e.getMessage());
  }

  @Test
  void twoDimensionalNetsRefuseVolumeQuestions() {
    ModelSpec net = UNet.builder().depth(1).baseFilters(2).build();
    IllegalArgumentException z = assertThrows(IllegalArgumentException.class, () -> net.geometry(Axis.Z));
    assertTrue(z.getMessage().contains("a 2D net has no z axis"), z.getMessage());
    assertThrows(IllegalStateException.class, net::volumeGeometry);
    IllegalStateException layers = assertThrows(IllegalStateException.class,
        () -> UNet.cicek().geometry().layers(132));
    assertTrue(layers.getMessage().contains("volumeGeometry().layers(Size3)"), layers.getMessage());
  }

  /** The in-plane kernel of layer {@code convN} of a stage: {@code kernels[N-1]} when listed, else {@code kernel}. */
  private static int convKernel(int kernel, List<Integer> kernels, String layer) {
    return kernels.isEmpty() ? kernel : kernels.get(Integer.parseInt(layer.substring("conv".length())) - 1);
  }

  private static long kernelVolume(ModelSpec net, LayerShape layer) {
    String[] parts = layer.path().split("/");
    return switch (layer.kind()) {
      case HEAD -> (long) Math.pow(net.head().kernel(), 3);
      case UP_CONV -> {
        int level = net.depth() - 1 - Integer.parseInt(parts[1]);
        int pz = net.contracting().get(level).poolZ();
        int p = net.pooling().size();
        yield (long) p * p * (pz != 0 ? pz : p);
      }
      case CONV -> {
        int k;
        int kz;
        if (parts[0].equals("expanding")) {
          var s = net.expanding().get(Integer.parseInt(parts[1]));
          k = parts[2].startsWith("conv") ? convKernel(s.kernel(), s.kernels(), parts[2]) : s.kernel();
          kz = s.kernelZ();
        } else {
          StageSpec s = parts[0].equals("bottleneck") ? net.bottleneck()
              : net.contracting().get(Integer.parseInt(parts[1]));
          k = convKernel(s.kernel(), s.kernels(), parts[parts.length - 1]);
          kz = s.kernelZ();
        }
        yield (long) k * k * (kz != 0 ? kz : k);
      }
      default -> 0;
    };
  }
}
