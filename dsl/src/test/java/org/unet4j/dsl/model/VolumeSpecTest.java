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
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;

/**
 * Declaring 3D and anisotropic nets: what the builder makes of {@code dimensions}, {@code planar},
 * {@code kernelZ}, {@code poolZ}, {@code firstConvFilters} and {@code upConvFilters}, and every
 * mistake it refuses with the spec path and what would be valid.
 */
class VolumeSpecTest {

  @Test
  void planarStagesConvolveAndPoolInPlaneOnly() {
    ModelSpec net = UNet.builder().dimensions(3)
        .contracting(c -> c.stage(8, s -> s.planar()).stage(16))
        .bottleneck(32, s -> s.planar())
        .expanding(e -> e.stage(16).stage(8, s -> s.planar()))
        .build();
    assertEquals(3, net.dimensions());
    assertEquals(List.of(Axis.Z, Axis.Y, Axis.X), net.axes());
    assertEquals(new StageSpec(8, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0, 0, 1, 1),
        net.contracting().get(0));
    assertEquals(0, net.bottleneck().poolZ(), "the bottleneck is not pooled");
    assertEquals(1, net.bottleneck().kernelZ());
    assertEquals(1, net.poolingAlong(0, Axis.Z));
    assertEquals(2, net.poolingAlong(0, Axis.Y));
    assertEquals(2, net.poolingAlong(1, Axis.Z));
    assertEquals(1, net.expanding().get(1).kernelAlong(Axis.Z));
    assertEquals(3, net.expanding().get(1).kernelAlong(Axis.X));
  }

  @Test
  void theMirroredExpandingPathKeepsTheKernelsAlongZ() {
    ModelSpec net = UNet.builder().dimensions(3)
        .contracting(c -> c.stage(8, s -> s.planar()).stage(16, s -> s.kernelZ(5)))
        .bottleneck(32)
        .build();
    assertEquals(5, net.expanding().get(0).kernelZ());
    assertEquals(1, net.expanding().get(1).kernelZ());
  }

  @Test
  void twoDimensionalNetsAreUnchangedByDefault() {
    ModelSpec net = UNet.paper();
    assertEquals(2, net.dimensions());
    assertEquals(List.of(Axis.Y, Axis.X), net.axes());
    assertEquals(StageSpec.paper(64), net.contracting().get(0));
    assertEquals(31_030_658L, net.parameterCount());
  }

  @Test
  void firstConvAndUpConvFiltersChangeTheChannelsTheyName() {
    ModelSpec net = UNet.builder().depth(1)
        .contracting(c -> c.stage(8, s -> s.firstConvFilters(4)))
        .bottleneck(16)
        .expanding(e -> e.stage(8, s -> s.upConvFilters(16)))
        .build();
    // 3x3: 1->4 (36+4), 4->8 (288+8); bottleneck 8->16 (1152+16), 16->16 (2304+16);
    // up-conv 2x2 16->16 (1024+16); concat 16+8 = 24; 24->8 (1728+8), 8->8 (576+8); head 8->2 (16+2)
    assertEquals(40 + 296 + 1168 + 2320 + 1040 + 1736 + 584 + 18, net.parameterCount());
  }

  private static Arguments mistake(String what, Supplier<ModelSpec> build, String message) {
    return Arguments.of(Named.of(what, build), message);
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("kernelZ in a 2D net",
            () -> UNet.builder().contracting(c -> c.stage(8, s -> s.kernelZ(1))).bottleneck(16).build(),
            "contracting[0].kernelZ: a 2D net has no z axis; set dimensions to 3 or leave it at 0, got 1"),
        mistake("planar() in a 2D net",
            () -> UNet.builder().depth(1).bottleneck(16, s -> s.planar()).build(),
            "bottleneck.kernelZ: a 2D net has no z axis; set dimensions to 3 or leave it at 0, got 1"),
        mistake("poolZ in a 2D net",
            () -> UNet.builder().contracting(c -> c.stage(8).stage(8, s -> s.poolZ(1))).bottleneck(16).build(),
            "contracting[1].poolZ: a 2D net has no z axis; set dimensions to 3 or leave it at 0, got 1"),
        mistake("dimensions 4",
            () -> UNet.builder().dimensions(4).depth(1).build(),
            "dimensions: expected 2..3, got 4"),
        mistake("an even kernel along z",
            () -> UNet.builder().dimensions(3).contracting(c -> c.stage(8, s -> s.kernelZ(2))).bottleneck(16)
                .build(),
            "contracting[0].kernelZ: expected 0 (as kernel) or an odd size so that crops stay centred"
                + " (1, 3, 5, ...), got 2"),
        mistake("poolZ 5",
            () -> UNet.builder().dimensions(3).contracting(c -> c.stage(8, s -> s.poolZ(5))).bottleneck(16)
                .build(),
            "contracting[0].poolZ: expected 0..4, got 5"),
        mistake("poolZ on the bottleneck",
            () -> UNet.builder().dimensions(3).depth(1).bottleneck(16, s -> s.poolZ(1)).build(),
            "bottleneck.poolZ: the bottleneck is not pooled; drop poolZ(1) here"),
        mistake("negative firstConvFilters",
            () -> UNet.builder().contracting(c -> c.stage(8, s -> s.firstConvFilters(-1))).bottleneck(16).build(),
            "contracting[0].firstConvFilters: expected 0..65536, got -1"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void mistakesNameTheSpecPathAndWhatIsValid(Supplier<ModelSpec> build, String message) {
    SpecException e = assertThrows(SpecException.class, build::get);
    assertEquals(message, e.getMessage());
  }

  @Test
  void recipesCarryTheDimensionsAndTheZSettings() {
    String model = "{\"dimensions\": 3, \"contracting\": [{\"filters\": 8, \"kernelZ\": 1, \"poolZ\": 1}],"
        + " \"bottleneck\": {\"filters\": 16, \"firstConvFilters\": 12},"
        + " \"expanding\": [{\"filters\": 8, \"upConvFilters\": 16, \"kernelZ\": 1}]}";
    Recipe read = Recipes.fromJson("{\"format\": \"unet4j-recipe\", \"formatVersion\": 2, \"name\": \"v\", "
        + "\"model\": " + model + "}");
    ModelSpec built = UNet.builder().dimensions(3)
        .contracting(c -> c.stage(8, s -> s.planar()))
        .bottleneck(16, s -> s.firstConvFilters(12))
        .expanding(e -> e.stage(8, s -> s.planar().upConvFilters(16)))
        .build();
    assertEquals(built, read.model());
    assertEquals(read, Recipes.fromJson(Recipes.toJson(read)));
    SpecException flat = assertThrows(SpecException.class, () -> Recipes.fromJson(
        "{\"format\": \"unet4j-recipe\", \"formatVersion\": 2, \"name\": \"v\", \"model\": "
            + model.replace("\"dimensions\": 3", "\"dimensions\": 2") + "}"));
    assertEquals("model.contracting[0].kernelZ: a 2D net has no z axis; set dimensions to 3 or leave it at 0, got 1",
        flat.getMessage());
  }

  @Test
  void aRecordBuiltByHandIsCheckedToo() {
    StageSpec planar = new StageSpec(8, 2, 3, Padding.VALID, Activation.RELU, Normalization.NONE, 0, 0, 1, 1);
    SpecException e = assertThrows(SpecException.class, () -> new ModelSpec(1, 2, Pooling.max(2), List.of(planar),
        StageSpec.paper(16), List.of(), HeadSpec.paper()));
    assertEquals("contracting[0].kernelZ: a 2D net has no z axis; set dimensions to 3 or leave it at 0, got 1",
        e.getMessage());
  }
}
