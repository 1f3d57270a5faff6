package org.unet4j.augment;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.unet4j.dsl.recipe.AugmentationSpec;
import org.unet4j.dsl.recipe.ElasticTransform;
import org.unet4j.dsl.recipe.FlipTransform;
import org.unet4j.dsl.recipe.GrayValueTransform;
import org.unet4j.dsl.recipe.Interpolation;
import org.unet4j.dsl.recipe.RotationTransform;
import org.unet4j.dsl.recipe.ShiftTransform;

/**
 * Time per tile, printed, never asserted (speed targets live in benchmarks, not tests). Run with
 * {@code mvn -pl augment test -Dtest=AugmenterBenchmarkTest -Dunet4j.bench=true}; the numbers are
 * in {@code target/surefire-reports/org.unet4j.augment.AugmenterBenchmarkTest-output.txt}.
 */
@EnabledIfSystemProperty(named = "unet4j.bench", matches = "true")
class AugmenterBenchmarkTest {

  @Test
  void timePerTile() {
    Sample sample = TestImages.random(512, 512, 1, 1);
    TileShape shape = TileShape.square(252, 164);
    report("paper, bicubic", Augmenter.of(AugmentationSpec.paper()), sample, shape);
    report("paper, bilinear", Augmenter.of(
        new AugmentationSpec(AugmentationSpec.paper().transforms(), Interpolation.BILINEAR)), sample, shape);
    report("geometry only", Augmenter.of(new AugmentationSpec(List.of(ElasticTransform.paper(),
        new FlipTransform(1, FlipTransform.Symmetry.DIHEDRAL), new RotationTransform(1, 180),
        new ShiftTransform(1, 16)), Interpolation.BICUBIC)), sample, shape);
    report("gray values only", Augmenter.of(new AugmentationSpec(
        List.of(new GrayValueTransform(1, 0.1, 0.2, 0.2, 0.02)), Interpolation.BICUBIC)), sample, shape);
    report("no transforms", Augmenter.of(AugmentationSpec.none()), sample, shape);
    report("paper, bicubic", Augmenter.of(AugmentationSpec.paper()), sample, TileShape.square(572, 388));
  }

  private static void report(String name, Augmenter augmenter, Sample sample, TileShape shape) {
    // Best of several batches: the least disturbed by other work on the machine.
    long sink = 0;
    int batch = 40;
    double best = Double.POSITIVE_INFINITY;
    double sum = 0;
    int batches = 8;
    for (int b = -2; b < batches; b++) {
      long start = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        sink += augmenter.randomTile(sample, shape, 1000L * b + i).labels()[0];
      }
      double ms = (System.nanoTime() - start) / 1e6 / batch;
      if (b >= 0) {
        best = Math.min(best, ms);
        sum += ms;
      }
    }
    System.out.printf("%-18s tile %d/%d: best %.2f ms, mean %.2f ms per tile (%d)%n",
        name, shape.imageHeight(), shape.labelHeight(), best, sum / batches, sink % 2);
  }
}
