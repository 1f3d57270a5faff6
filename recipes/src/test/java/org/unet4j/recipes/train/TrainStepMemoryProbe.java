package org.unet4j.recipes.train;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.SyntheticTiles;

/**
 * Peak memory of the paper net's training step at its tile (not a test: run its main, with
 * {@code TF_CPU_ALLOCATOR_USE_BFC=true} as the launcher sets it): builds one {@link TrainingGraph}
 * of the recipe (default {@code paper/isbi2012}), runs 4 steps (or as many as the second argument
 * says, with the session's threads per op from the third, 0 by default: see
 * {@link TrainingGraph#build(Recipe, int)}) and prints each step's wall-clock and process CPU time
 * and the process's peak resident memory (VmHWM) so far, with the load average at the start, then
 * the median CPU time of the steps after the first two (the CPU time depends much less than the
 * wall clock on what else the machine runs).
 */
public final class TrainStepMemoryProbe {
  private TrainStepMemoryProbe() {}

  public static void main(String[] args) {
    Recipe recipe = Recipes.load(args.length > 0 ? args[0] : "paper/isbi2012");
    int tile = recipe.training().tile();
    Batch batch = new SyntheticTiles(recipe.model(), tile, recipe.training().batchSize(), 7).batch(0);
    System.out.printf("load average %.2f%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<Double> cpuMs = new ArrayList<>();
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    try (TrainingGraph graph = TrainingGraph.build(recipe, threads)) {
      System.out.printf("before the first step: VmRSS %d MB%n", ProcessMemory.residentMb().orElse(-1));
      for (int step = 0; step < steps; step++) {
        long began = System.nanoTime();
        long cpuBegan = os.getProcessCpuTime();
        float loss = graph.step(batch, 1e-3, step).loss();
        double cpu = (os.getProcessCpuTime() - cpuBegan) / 1e6;
        if (step >= 2) {
          cpuMs.add(cpu);
        }
        System.out.printf("step %d: %.0f ms, CPU %.0f ms, loss %.6f, VmHWM %d MB%n", step,
            (System.nanoTime() - began) / 1e6, cpu, loss, ProcessMemory.peakResidentMb().orElse(-1));
      }
    }
    if (!cpuMs.isEmpty()) {
      Collections.sort(cpuMs);
      System.out.printf("median CPU time of steps 2..%d: %.0f ms; load average %.2f%n", steps - 1,
          cpuMs.get(cpuMs.size() / 2), os.getSystemLoadAverage());
    }
  }
}
