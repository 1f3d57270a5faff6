package org.unet4j.dsl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Contracting stages (and the bottleneck) and expanding stages are declared with builders of their
 * own kind, so that a setting only one kind has cannot be written for the other: a skip, an
 * upsampling or the up-convolution's channels on a contracting stage, a z pooling or first-conv
 * channels on an expanding one do not compile. The shape of the API is checked here (a call that
 * does not compile cannot be a test); what is allowed is checked to land in the specs.
 */
class StageBuilderKindsTest {

  private static Set<String> publicMethods(Class<?> type) {
    return Arrays.stream(type.getMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getDeclaringClass() != Object.class)
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void eachKindHasTheSettersOfItsOwnKindOnly() {
    Set<String> shared = publicMethods(StageOptions.class);
    assertEquals(new TreeSet<>(Set.of("activation", "batchNorm", "conv", "convs", "dropout", "groupNorm",
        "instanceNorm", "kernel", "kernelZ", "leakyRelu", "normalization", "padding", "residual")), shared);
    Set<String> contracting = publicMethods(StageBuilder.class);
    contracting.removeAll(shared);
    assertEquals(new TreeSet<>(Set.of("firstConvFilters", "planar", "poolZ")), contracting);
    Set<String> expanding = publicMethods(ExpandingStageBuilder.class);
    expanding.removeAll(shared);
    assertEquals(new TreeSet<>(Set.of("attentionSkip", "bilinearUpsampling", "noSkip", "planar", "skip",
        "upConvFilters", "upsampling")), expanding);
  }

  /** The shared setters return the concrete builder, so a chain can end with a setter of its kind. */
  @Test
  void sharedSettersChainIntoKindSpecificOnes() {
    ModelSpec net = UNet.builder().dimensions(3)
        .contracting(c -> c.stage(4, s -> s.conv(3).conv(3).instanceNorm().planar().firstConvFilters(2)))
        .bottleneck(8, s -> s.conv(3).residual().firstConvFilters(6))
        .expanding(e -> e.stage(4, s -> s.conv(3).residual().planar().upConvFilters(2).noSkip()))
        .build();
    assertEquals(1, net.contracting().get(0).poolZ());
    assertEquals(1, net.contracting().get(0).kernelZ());
    assertEquals(2, net.contracting().get(0).firstConvFilters());
    assertEquals(0, net.bottleneck().poolZ());
    assertEquals(6, net.bottleneck().firstConvFilters());
    ExpandingStageSpec up = net.expanding().get(0);
    assertEquals(1, up.kernelZ());
    assertEquals(2, up.upFilters());
    assertEquals(SkipMode.NONE, up.skip());
    ModelSpec flat = UNet.builder().depth(1).baseFilters(2)
        .expanding(e -> e.stage(2, s -> s.conv(3).conv(3).leakyRelu(0.1).bilinearUpsampling().attentionSkip()))
        .build();
    assertEquals(Upsampling.BILINEAR, flat.expanding().get(0).upsampling());
    assertEquals(SkipMode.ATTENTION, flat.expanding().get(0).skip());
    assertEquals(0.1, flat.expanding().get(0).leakySlope());
  }
}
