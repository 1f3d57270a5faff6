package org.unet4j.recipes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableList;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.layers.ConvolutionForm;
import org.unet4j.layers.ConvolutionLowering;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.recipes.model.ModelMismatchException;

/**
 * The benchmark of a 3D net runs at the recipe's training block and reports every figure and the
 * form of every layer; never the numbers' values. The depth-1 net with unpadded 3x3x3 convolutions
 * takes every even size from 18 on along each axis (n - 4 pooled, m = (n - 4) / 2 - 4 >= 3, up to
 * 2 m and two convolutions: 2 m - 4 = n - 16), so tile 20 with {@code tileZ} 18 is the block
 * 18x20x20, and its output is 2x4x4.
 */
class VolumeBenchmarkTest {
  private static final Recipe VOLUME = Recipe.builder("tiny-3d")
      .model(UNet.builder().dimensions(3).depth(1).baseFilters(2).build())
      .training(t -> t.tile(20).tileZ(18))
      .inference(i -> i.tile(20))
      .build();

  @Test
  void measuresTheTrainingBlockAndReportsEveryLayersForm() throws Exception {
    StringWriter progress = new StringWriter();
    VolumeBenchReport report = VolumeBenchmark.run(VolumeBenchOptions.quick(VOLUME, 1), new PrintWriter(progress));
    assertEquals(new Size3(18, 20, 20), report.block());
    assertEquals(new Size3(2, 4, 4), report.output());
    assertEquals(List.of("contracting/0/conv1", "contracting/0/conv2", "bottleneck/conv1", "bottleneck/conv2",
        "expanding/0/upconv", "expanding/0/conv1", "expanding/0/conv2", "head"),
        ImmutableList.copyOf(report.convolutionForms().keySet()));
    ConvolutionForm expected = ModelCompiler.defaultVolumeLowering() == ConvolutionLowering.NATIVE
        ? ConvolutionForm.CONV3D : ConvolutionForm.MATMUL;
    assertTrue(report.convolutionForms().values().stream().allMatch(f -> f == expected),
        report.convolutionForms().toString());
    assertEquals(2, report.forward().millis().length);
    assertEquals(2, report.trainStep().millis().length);
    assertTrue(report.trainLossFinite());
    assertTrue(report.forwardPeakRssMb() > 0 && report.peakRssMb() >= report.forwardPeakRssMb(),
        report.forwardPeakRssMb() + " then " + report.peakRssMb());

    JsonNode json = new ObjectMapper().readTree(report.toJsonText());
    assertEquals("18x20x20", json.get("block").asText());
    assertEquals("2x4x4", json.get("outputBlock").asText());
    assertEquals(VOLUME.model().parameterCount(), json.get("parameters").asLong());
    for (String key : List.of("forwardGflop", "forwardMs", "trainStepMs", "forwardPeakRssMb", "peakRssMb")) {
      assertTrue(json.get(key).isNumber() && json.get(key).asDouble() > 0, key + " = " + json.get(key));
    }
    // The JVM may count CPU time in 10 ms ticks, longer than a tiny net's forward pass.
    for (String key : List.of("forwardCpuMs", "trainStepCpuMs")) {
      assertTrue(json.get(key).isNumber() && json.get(key).asDouble() >= 0, key + " = " + json.get(key));
    }
    assertEquals(expected.label(), json.get("convolutionForms").get("head").asText());
    assertEquals(expected == ConvolutionForm.CONV3D ? "native" : "matmul", json.get("convolution").asText());
    assertEquals(VOLUME.model().volumeGeometry().forwardFlops(new Size3(18, 20, 20)) / 1e9,
        json.get("forwardGflop").asDouble(), 1e-3);

    StringWriter table = new StringWriter();
    report.printTable(new PrintWriter(table));
    assertTrue(table.toString().startsWith("unet4j bench: tiny-3d, block 18x20x20 -> 2x4x4 (z, y, x)"), table.toString());
    assertTrue(table.toString().contains("training step"), table.toString());
    assertTrue(progress.toString().contains("bench: convolutions: " + expected.label() + " 8"), progress.toString());
  }

  @Test
  void eachBenchmarkTakesItsOwnDimension() {
    ModelMismatchException images = assertThrows(ModelMismatchException.class,
        () -> BenchOptions.quick(VOLUME, 20, 1));
    assertEquals("tiny-3d: a 3D net (model.dimensions 3) is benchmarked on volumes, by VolumeBenchmark with"
        + " VolumeBenchOptions", images.getMessage());
    Recipe flat = Recipe.builder("tiny-2d").model(UNet.builder().depth(1).baseFilters(2).build())
        .training(t -> t.tile(20)).inference(i -> i.tile(20)).build();
    ModelMismatchException volumes = assertThrows(ModelMismatchException.class,
        () -> VolumeBenchOptions.quick(flat, 1));
    assertEquals("tiny-2d: a 2D net (model.dimensions 2) is benchmarked on images, by Benchmark with BenchOptions",
        volumes.getMessage());
  }
}
