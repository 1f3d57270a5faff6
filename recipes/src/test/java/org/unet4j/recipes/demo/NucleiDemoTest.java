package org.unet4j.recipes.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.recipe.LabelFormat;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.FilePattern;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;
import org.unet4j.recipes.data.TinyData;
import org.unet4j.recipes.eval.EvaluationReport;
import org.unet4j.recipes.eval.EvaluationSummary;
import org.unet4j.recipes.eval.FileEvaluation;
import org.unet4j.recipes.eval.OtsuBaseline;
import org.unet4j.recipes.eval.Scores;

/**
 * The demo's parts that need no training: where it looks for data, the recipe it trains, the Otsu
 * baseline on a folder and the report. The whole run is {@code DemoCommandTest}'s (module cli).
 */
class NucleiDemoTest {
  @TempDir Path dir;

  /** The unet4j folder: the parent of this module's folder. */
  private static Path home() {
    return Path.of("").toAbsolutePath().getParent();
  }

  @Test
  void theRecipeIsNucleiDemoWithTheStepsAndItsDataUnderTheUnet4jFolder() {
    Recipe recipe = NucleiDemo.in(home()).steps(50).recipe();
    assertEquals(50, recipe.training().steps());
    assertEquals(5, recipe.training().warmupSteps(), "a tenth of 50 steps, below the recipe's 20");
    assertEquals(20, NucleiDemo.in(home()).steps(900).recipe().training().warmupSteps());
    assertEquals(home().resolve("data/bbbc039/train/images").toString(), recipe.data().images());
    assertEquals(home().resolve("data/bbbc039/train/masks").toString(), recipe.data().labels());
    assertThrows(IllegalArgumentException.class, () -> NucleiDemo.in(home()).steps(0));
  }

  @Test
  void aFolderWithoutTheBundledImagesIsRefused() {
    DataException e = assertThrows(DataException.class, () -> NucleiDemo.in(dir));
    assertEquals("the bundled nuclei images are not in " + dir.toAbsolutePath().resolve(NucleiDemo.TEST)
        + " (images/ and masks/); the demo runs from the unet4j folder, where data/bbbc039 lies", e.getMessage());
  }

  /**
   * Discs 3000 +- 150 bright on 400 +- 150 dark: Otsu's threshold lies some 8 standard deviations
   * from both, so the baseline finds the foreground exactly (IoU 1, pixel error 0); and predictions
   * that are the masks themselves score IoU 1 in the report's unet4j column.
   */
  @Test
  void otsuOnAFolderAndTheReportTable() throws IOException {
    TinyData.write(dir, 2, 48, 3);
    EvaluationSummary otsu = OtsuBaseline.evaluate(dir.resolve("images"), dir.resolve("masks"),
        LabelFormat.COLOR_COMPONENTS);
    assertEquals(2, otsu.images().size());
    assertEquals(1.0, otsu.mean().iou(), 1e-12);
    assertEquals(0.0, otsu.mean().pixelError(), 1e-12);

    Path predictions = dir.resolve("predictions");
    for (Path mask : FilePattern.resolve("masks", dir.resolve("masks").toString(), Path.of(""))) {
      Image m = ImageIo.read(mask);
      float[] p = new float[m.width() * m.height()];
      for (int i = 0; i < p.length; i++) {
        p[i] = m.pixels()[i] > 0 ? 1 : 0;
      }
      ImageIo.writeTiff(predictions.resolve(FilePattern.stem(mask) + "_prob.tif"),
          Image.gray(m.width(), m.height(), PixelType.FLOAT32, p));
    }
    EvaluationReport scores = FileEvaluation.of(LabelFormat.COLOR_COMPONENTS).evaluate(dir.resolve("masks"),
        predictions);
    Scores baseline = new Scores(0.25, 0.5, 0.125, 0.75, 0.625, 0.5, 0.875, 0.375, 0.25, 0.5);
    DemoReport report = DemoReport.of(dir, scores, baseline, new DemoReport.Timings(2, 1, 2, 3, 6));
    List<String> table = report.format().lines().toList();
    assertEquals(10, table.size(), report.format());
    assertEquals("held-out mean              unet4j       Otsu", table.get(0));
    assertEquals("foreground IoU             1.0000     0.5000", table.get(1));
    // The masks' touching nuclei merge in a binary map, so AP is the evaluation's, not 1.
    assertEquals(String.format(Locale.ROOT, "AP, IoU 0.5 to 0.95        %.4f     0.2500", report.unet("ap")),
        table.get(4));
    assertEquals("warping error            0.000000   0.125000", table.get(7));
    assertEquals(1.0, report.unet("iou"), 1e-12);

    report.write();
    String summary = Files.readString(dir.resolve("summary.md"));
    assertTrue(summary.contains("| foreground IoU | **1.0000** | 0.5000 |"), summary);
    assertTrue(summary.contains("| pixel error | **0.0000** | 0.2500 |"), summary);
    assertTrue(Files.isRegularFile(dir.resolve("summary.png")));
  }
}
