package org.unet4j.dsl.model;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.Specs;

/**
 * An encoder-decoder segmentation net: contracting stages each followed by pooling, a bottleneck,
 * expanding stages (up-convolution, centre-cropped skip, convolutions) and a head to
 * {@code classes} channels. With {@code dimensions} 3 it works on volumes: every kernel, pooling and
 * up-convolution gains a z extent, isotropic unless a stage says otherwise ({@code kernelZ},
 * {@code poolZ}) as anisotropic stacks need. Expanding stage {@code i} pairs with contracting stage
 * {@code depth - 1 - i}; fewer expanding than contracting stages give a coarser output.
 *
 * <p>Built with {@link UNet#builder()} or read from a recipe; the constructor validates every
 * component and throws a {@link SpecException} naming its path.
 */
@Doc("An encoder-decoder segmentation net (the U-Net family).")
public record ModelSpec(
    @Doc("channels of the input image") @Default("1") @Range(min = 1, max = 64) int inputChannels,
    @Doc("output classes K (2 for foreground/background)") @Default("2") @Range(min = 1, max = 1024)
        int classes,
    @Doc("2 for images (y, x), 3 for volumes (z, y, x): kernels, pooling and up-convolutions gain a z extent")
        @Default("2") @Range(min = 2, max = 3) int dimensions,
    Pooling pooling,
    @Doc("contracting stages, from the input down; each is followed by pooling") List<StageSpec> contracting,
    @Doc("the stage below the last pooling") StageSpec bottleneck,
    @Doc("expanding stages, from the bottleneck up") List<ExpandingStageSpec> expanding,
    HeadSpec head) {

  /** Deepest nets accepted: 2^8 = 256x down-sampling is already beyond any microscopy tile. */
  public static final int MAX_DEPTH = 8;

  public ModelSpec {
    checkNotNull(pooling, "pooling");
    checkNotNull(bottleneck, "bottleneck");
    checkNotNull(head, "head");
    contracting = ImmutableList.copyOf(contracting);
    expanding = ImmutableList.copyOf(expanding);
    Specs.checkComponent(ModelSpec.class, "inputChannels", inputChannels);
    Specs.checkComponent(ModelSpec.class, "classes", classes);
    Specs.checkComponent(ModelSpec.class, "dimensions", dimensions);
    Specs.validate("pooling", pooling);
    if (contracting.isEmpty() || contracting.size() > MAX_DEPTH) {
      throw new SpecException("contracting", "expected 1.." + MAX_DEPTH + " stages, got " + contracting.size());
    }
    Specs.validate("contracting", contracting);
    Specs.validate("bottleneck", bottleneck);
    if (expanding.size() > contracting.size()) {
      throw new SpecException("expanding", "expected at most " + contracting.size()
          + " stages (one per contracting stage to pair with), got " + expanding.size());
    }
    Specs.validate("expanding", expanding);
    Specs.validate("head", head);
    checkZSettings(dimensions, pooling, contracting, bottleneck, expanding);
  }

  /** A 2D net: {@code dimensions} 2. */
  public ModelSpec(int inputChannels, int classes, Pooling pooling, List<StageSpec> contracting, StageSpec bottleneck,
      List<ExpandingStageSpec> expanding, HeadSpec head) {
    this(inputChannels, classes, 2, pooling, contracting, bottleneck, expanding, head);
  }

  /**
   * The z settings only mean something in a 3D net, and the bottleneck is never pooled: a value
   * that would be ignored is refused rather than silently dropped.
   */
  private static void checkZSettings(int dimensions, Pooling pooling, List<StageSpec> contracting, StageSpec bottleneck,
      List<ExpandingStageSpec> expanding) {
    if (bottleneck.poolZ() != 0) {
      throw new SpecException("bottleneck.poolZ", "the bottleneck is not pooled; expected 0, got " + bottleneck.poolZ());
    }
    if (dimensions == 3) {
      checkPlanarBlocks(pooling, expanding);
      return;
    }
    String fix = "a 2D net has no z axis; set dimensions to 3 or leave it at 0";
    for (int i = 0; i < contracting.size(); i++) {
      if (contracting.get(i).kernelZ() != 0) {
        throw new SpecException("contracting[" + i + "].kernelZ", fix + ", got " + contracting.get(i).kernelZ());
      }
      if (contracting.get(i).poolZ() != 0) {
        throw new SpecException("contracting[" + i + "].poolZ", fix + ", got " + contracting.get(i).poolZ());
      }
    }
    if (bottleneck.kernelZ() != 0) {
      throw new SpecException("bottleneck.kernelZ", fix + ", got " + bottleneck.kernelZ());
    }
    for (int i = 0; i < expanding.size(); i++) {
      if (expanding.get(i).kernelZ() != 0) {
        throw new SpecException("expanding[" + i + "].kernelZ", fix + ", got " + expanding.get(i).kernelZ());
      }
    }
  }

  /** The block kinds that 3D nets do not compile yet are refused when declared, not when compiled. */
  private static void checkPlanarBlocks(Pooling pooling, List<ExpandingStageSpec> expanding) {
    if (pooling.kind() == PoolingKind.STRIDED_CONV) {
      throw new SpecException("pooling.kind", "strided-conv down-sampling is for 2D nets so far; a 3D net takes max or"
          + " average");
    }
    for (int i = 0; i < expanding.size(); i++) {
      if (expanding.get(i).skip() == SkipMode.ATTENTION) {
        throw new SpecException("expanding[" + i + "].skip", "attention skips are for 2D nets so far; a 3D net takes"
            + " center-crop or none");
      }
      if (expanding.get(i).upsampling() == Upsampling.BILINEAR) {
        throw new SpecException("expanding[" + i + "].upsampling", "bilinear upsampling is for 2D nets so far; a 3D"
            + " net takes up-conv");
      }
    }
  }

  /** The axes of an input, z first: (y, x) for a 2D net, (z, y, x) for a 3D one. */
  public List<Axis> axes() {
    return dimensions == 3 ? List.of(Axis.Z, Axis.Y, Axis.X) : List.of(Axis.Y, Axis.X);
  }

  /**
   * The pooling window and stride along {@code axis} after contracting stage {@code level}, which
   * is also the up-convolution factor of the expanding stage paired with it: the stage's
   * {@code poolZ} along z when set, else the model's pooling size.
   */
  public int poolingAlong(int level, Axis axis) {
    int z = contracting.get(level).poolZ();
    return axis == Axis.Z && z != 0 ? z : pooling.size();
  }

  /** Number of poolings: the paper's net has depth 4. */
  public int depth() {
    return contracting.size();
  }

  /**
   * The blocks of this net in the order the data flows through them, each with its layer path
   * ({@code contracting/0/conv1}, ..., {@code head}): what {@link Geometry} walks and the compiler
   * lowers, one kind at a time.
   */
  public List<Block> blocks() {
    return Blocks.of(this);
  }

  /**
   * The exact shape arithmetic of this net along y and x (the same for both): valid sizes, output
   * size, margins, FLOPs. For a 3D net see also {@link #geometry(Axis)} and {@link #volumeGeometry()}.
   */
  public Geometry geometry() {
    return new Geometry(this, Axis.Y);
  }

  /**
   * The shape arithmetic along one axis; z only in a 3D net.
   *
   * @throws IllegalArgumentException for z in a 2D net
   */
  public Geometry geometry(Axis axis) {
    if (!axes().contains(axis)) {
      throw new IllegalArgumentException("a 2D net has no z axis; its geometry is geometry()");
    }
    return new Geometry(this, axis);
  }

  /**
   * The shape arithmetic of a 3D net on (z, y, x) inputs: output shapes, layers, FLOPs.
   *
   * @throws IllegalStateException for a 2D net
   */
  public VolumeGeometry volumeGeometry() {
    if (dimensions != 3) {
      throw new IllegalStateException("a 2D net has no volume geometry; its geometry is geometry()");
    }
    return new VolumeGeometry(this);
  }

  /** Trainable parameters (weights, biases, batch-norm scale and offset). */
  public long parameterCount() {
    return geometry().parameterCount();
  }

  /** Number of convolution layers, up-convolutions and the head included (23 for the paper). */
  public int convolutionLayers() {
    int n = bottleneck.convs() + 1;
    for (StageSpec s : contracting) {
      n += s.convs();
    }
    for (ExpandingStageSpec s : expanding) {
      n += s.convs() + 1;
    }
    return n;
  }
}
