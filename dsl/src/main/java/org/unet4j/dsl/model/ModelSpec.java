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
 * {@code classes} channels. Expanding stage {@code i} pairs with contracting stage
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
  }

  /** Number of poolings: the paper's net has depth 4. */
  public int depth() {
    return contracting.size();
  }

  /** The exact shape arithmetic of this net: valid sizes, output size, margins, FLOPs. */
  public Geometry geometry() {
    return new Geometry(this);
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
