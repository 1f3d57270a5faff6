package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which files a prediction into a folder takes: never one that an output would replace. */
class PredictionInputsTest {
  private static final Path IN = Path.of("/data/in").toAbsolutePath();

  @Test
  void outputNamesAreRecognised() {
    assertEquals(Optional.of("a"), PredictionInputs.outputOf(Path.of("a_prob.tif")));
    assertEquals(Optional.of("a_b"), PredictionInputs.outputOf(Path.of("a_b_labels.tif")));
    assertEquals(Optional.of("a"), PredictionInputs.outputOf(Path.of("a_overlay.png")));
    assertEquals(Optional.of("stack"), PredictionInputs.outputOf(Path.of("stack_overlay_p012.png")));
    assertEquals(Optional.empty(), PredictionInputs.outputOf(Path.of("a_prob.png")), "predict writes _prob.tif");
    assertEquals(Optional.empty(), PredictionInputs.outputOf(Path.of("a_overlay.tif")));
    assertEquals(Optional.empty(), PredictionInputs.outputOf(Path.of("_prob.tif")), "no input name");
    assertEquals(Optional.empty(), PredictionInputs.outputOf(Path.of("a.tif")));
  }

  /**
   * The folder: a.tif and a_prob.tif predicted into their own folder. a_prob.tif is what
   * predicting a.tif writes, so it is skipped (and said so) rather than predicted after being
   * replaced; so are the other outputs of a rerun.
   */
  @Test
  void earlierOutputsOfAnInputAreSkipped() {
    List<Path> files = List.of(IN.resolve("a.tif"), IN.resolve("a_prob.tif"), IN.resolve("a_labels.tif"),
        IN.resolve("a_overlay.png"), IN.resolve("b.png"));
    PredictionInputs selected = PredictionInputs.of(files, IN);
    assertEquals(Map.of("a", IN.resolve("a.tif"), "b", IN.resolve("b.png")), selected.inputs());
    assertEquals(List.of("a", "b"), List.copyOf(selected.inputs().keySet()), "order given");
    assertEquals(List.of(IN.resolve("a_prob.tif") + ": named as predict's output for the input a, so not predicted",
        IN.resolve("a_labels.tif") + ": named as predict's output for the input a, so not predicted",
        IN.resolve("a_overlay.png") + ": named as predict's output for the input a, so not predicted"),
        selected.skipped());
  }

  /** A file named like an output of no input is an input like any other (its outputs differ). */
  @Test
  void anOutputNameWithoutItsInputIsPredicted() {
    PredictionInputs selected = PredictionInputs.of(List.of(IN.resolve("c_prob.tif")), IN);
    assertEquals(Map.of("c_prob", IN.resolve("c_prob.tif")), selected.inputs());
    assertEquals(List.of(), selected.skipped());
  }

  @Test
  void refusals() {
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> PredictionInputs.of(List.of(IN.resolve("x/a.tif"), IN.resolve("y/a.png")), IN));
    assertEquals("two inputs are named a (" + IN.resolve("x/a.tif") + " and " + IN.resolve("y/a.png") + "); their"
        + " outputs would overwrite each other in " + IN + ", so predict them into different folders",
        twice.getMessage());
  }
}
