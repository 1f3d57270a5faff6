package org.unet4j.recipes.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.unet4j.dsl.model.Size3;
import org.unet4j.layers.ConvolutionForm;

/**
 * The figures of one benchmark of a 3D net at one block, batch 1.
 *
 * @param block the input block, z first; {@code output} the output block
 * @param forwardGflop floating-point operations of one forward pass (2 x multiply-adds), billions
 * @param forward the forward passes, ms; {@code trainStep} the training steps (forward, backward,
 *     optimizer update), ms, both with the process's CPU time
 * @param forwardPeakRssMb peak resident memory of the process after the forward passes
 * @param peakRssMb peak resident memory of the whole run (the training steps')
 * @param settings the session's graph options, the convolution lowering and the devices
 * @param convolutionForms the form each convolution and up-convolution got, by layer path
 */
public record VolumeBenchReport(VolumeBenchOptions options, Machine machine, String tensorflowVersion, Size3 block,
    Size3 output, double forwardGflop, Timings forward, Timings trainStep, boolean trainLossFinite,
    long forwardPeakRssMb, long peakRssMb, Map<String, Object> settings, Map<String, ConvolutionForm> convolutionForms,
    double secondsTotal) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public VolumeBenchReport {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    convolutionForms = Collections.unmodifiableMap(new LinkedHashMap<>(convolutionForms));
  }

  /** The report as JSON, the headline figures first. */
  public ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("recipe", options.recipe().name());
    root.put("block", block.toString());
    root.put("outputBlock", output.toString());
    root.put("batch", 1);
    root.put("parameters", options.recipe().model().parameterCount());
    root.put("forwardGflop", BenchReport.round(forwardGflop, 3));
    root.put("forwardMs", BenchReport.round(forward.median(), 1));
    root.put("forwardCpuMs", BenchReport.round(forward.cpuMean(), 1));
    root.put("trainStepMs", BenchReport.round(trainStep.median(), 1));
    root.put("trainStepCpuMs", BenchReport.round(trainStep.cpuMean(), 1));
    root.put("forwardPeakRssMb", forwardPeakRssMb);
    root.put("peakRssMb", peakRssMb);
    root.put("trainLossFinite", trainLossFinite);
    root.put("convolution", String.valueOf(settings.get("convolution")));
    ObjectNode forms = root.putObject("convolutionForms");
    convolutionForms.forEach((layer, form) -> forms.put(layer, form.label()));
    root.set("forwardRunsMs", BenchReport.runs(forward.millis()));
    root.set("trainStepRunsMs", BenchReport.runs(trainStep.millis()));
    root.put("warmups", options.warmups());
    root.put("quick", options.quick());
    root.put("threads", options.threads() > 0 ? options.threads() : machine.cores());
    root.put("tensorflowVersion", tensorflowVersion);
    root.put("cpu", machine.cpu());
    root.put("cores", machine.cores());
    root.set("vectorExtensions", JSON.valueToTree(machine.vectorExtensions()));
    root.put("oneDnn", machine.oneDnn());
    root.set("graphOptimizations", JSON.valueToTree(settings));
    root.set("environment", JSON.valueToTree(machine.environment()));
    BenchReport.putRunEnd(root, machine, secondsTotal);
    return root;
  }

  /** The JSON text, pretty-printed. */
  public String toJsonText() {
    return BenchReport.jsonText(toJson());
  }

  /** The table people read. */
  public void printTable(PrintWriter out) {
    out.printf(Locale.ROOT, "unet4j bench: %s, block %s -> %s (z, y, x), batch 1, %,d parameters%n",
        options.recipe().name(), block, output, options.recipe().model().parameterCount());
    out.printf(Locale.ROOT, "machine: %s (%s), TensorFlow %s, oneDNN %s, load %.2f%n", machine.cpu(),
        String.join(" ", machine.vectorExtensions()), tensorflowVersion, machine.oneDnn() ? "on" : "off",
        machine.loadAverage());
    out.println("convolutions: " + ConvolutionForm.describe(convolutionForms));
    out.println();
    row(out, "forward", forward, String.format(Locale.ROOT, "%.1f GFLOP, %.1f GFLOP/s", forwardGflop,
        forwardGflop / forward.median() * 1e3));
    row(out, "training step", trainStep, String.format(Locale.ROOT, "%.1f GFLOP/s (3 x forward)",
        3 * forwardGflop / trainStep.median() * 1e3));
    out.printf(Locale.ROOT, "%-16s %,10d MB peak   %,d MB after the forward passes%n", "memory", peakRssMb,
        forwardPeakRssMb);
    out.flush();
  }

  private void row(PrintWriter out, String what, Timings t, String rate) {
    out.printf(Locale.ROOT, "%-16s %10.1f ms median of %d   %.1f ms CPU   %s%n", what, t.median(), t.millis().length,
        t.cpuMean(), rate);
  }
}
