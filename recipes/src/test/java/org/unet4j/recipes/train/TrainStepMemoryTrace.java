package org.unet4j.recipes.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.AllocationRecord;
import org.tensorflow.proto.AllocatorMemoryUsed;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.recipes.data.Batch;
import org.unet4j.recipes.data.SyntheticTiles;

/**
 * What is alive at the peak of a training step's memory (not a test: run its main, with
 * {@code TF_CPU_ALLOCATOR_USE_BFC=true}). Builds the recipe's {@link TrainingGraph} (default
 * {@code paper/isbi2012}), runs 2 ordinary steps, then one with TensorFlow's full trace, whose step
 * statistics list every allocation and deallocation of every op with its time. Replaying them
 * gives the CPU allocator's bytes in use over the step; the report prints the peak, what was
 * running then, and the tensors alive at that moment grouped by the op that allocated them.
 * Arguments: the recipe, how many of the largest allocating ops to list (40), and optionally
 * comma-separated prefixes of op names to print from the graph as it ran (after Grappler's rewrites).
 */
public final class TrainStepMemoryTrace {
  private TrainStepMemoryTrace() {}

  private record Event(long micros, long bytes, String node, String op) {}

  public static void main(String[] args) {
    Recipe recipe = Recipes.load(args.length > 0 ? args[0] : "paper/isbi2012");
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int tile = recipe.training().tile();
    Batch batch = new SyntheticTiles(recipe.model(), tile, recipe.training().batchSize(), 7).batch(0);
    try (TrainingGraph graph = TrainingGraph.build(recipe)) {
      for (int step = 0; step < 2; step++) {
        graph.step(batch, 1e-3, step);
      }
      System.out.printf("VmHWM after 2 steps %d MB, VmRSS %d MB%n", ProcessMemory.peakResidentMb().orElse(-1),
          ProcessMemory.residentMb().orElse(-1));
      RunMetadata metadata;
      int out = batch.output();
      try (TFloat32 image = TFloat32.tensorOf(Shape.of(batch.size(), tile, tile, batch.channels()),
              DataBuffers.of(batch.images(), true, false));
          TInt32 labels = TInt32.tensorOf(Shape.of(batch.size(), out, out),
              DataBuffers.of(batch.labels(), true, false));
          TFloat32 weights = TFloat32.tensorOf(Shape.of(batch.size(), out, out),
              DataBuffers.of(batch.weights(), true, false));
          TFloat32 rate = TFloat32.scalarOf(1e-3f);
          TBool on = TBool.scalarOf(true);
          TInt64 seed = TInt64.vectorOf(recipe.training().seed(), 2L);
          Result result = graph.session().runner()
              .feed(graph.model().input(), image)
              .feed(TrainingGraph.LABELS, labels)
              .feed(TrainingGraph.WEIGHTS, weights)
              .feed("learning_rate", rate)
              .feed(graph.model().training(), on)
              .feed(graph.model().dropoutSeed(), seed)
              .fetch(TrainingGraph.LOSS)
              .addTarget("train")
              .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE)
                  .setOutputPartitionGraphs(args.length > 2).build())
              .runAndFetchMetadata()) {
        metadata = result.getMetadata().orElseThrow();
      }
      report(metadata, top);
      if (args.length > 2) {
        // The graph as it ran (after Grappler), nodes whose name starts with one of the given prefixes.
        for (org.tensorflow.proto.GraphDef partition : metadata.getPartitionGraphsList()) {
          for (org.tensorflow.proto.NodeDef node : partition.getNodeList()) {
            for (String prefix : args[2].split(",")) {
              if (node.getName().startsWith(prefix)) {
                System.out.printf("  %s = %s(%s)%n", node.getName(), node.getOp(),
                    String.join(", ", node.getInputList()));
              }
            }
          }
        }
      }
    }
    System.out.printf("VmHWM at the end %d MB%n", ProcessMemory.peakResidentMb().orElse(-1));
  }

  private static void report(RunMetadata metadata, int top) {
    List<Event> events = new ArrayList<>();
    long reportedPeak = 0;
    String reportedPeakNode = "";
    long maxAllocatorPeak = 0;
    List<NodeExecStats> nodes = new ArrayList<>();
    for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        nodes.add(node);
        String label = node.getTimelineLabel();
        String op = label.contains(" = ") ? label.replaceAll(".* = ([A-Za-z0-9_]+)\\(.*", "$1") : label;
        for (AllocatorMemoryUsed memory : node.getMemoryList()) {
          if (memory.getAllocatorBytesInUse() > reportedPeak) {
            reportedPeak = memory.getAllocatorBytesInUse();
            reportedPeakNode = node.getNodeName();
          }
          maxAllocatorPeak = Math.max(maxAllocatorPeak, memory.getPeakBytes());
          for (AllocationRecord record : memory.getAllocationRecordsList()) {
            events.add(new Event(record.getAllocMicros(), record.getAllocBytes(), node.getNodeName(), op));
          }
        }
      }
    }
    System.out.printf("nodes %d, allocation records %d%n", nodes.size(), events.size());
    // Op time of the ops that recompute Winograd operands, against all ops' time (threads overlap).
    long allMicros = 0;
    long recomputedMicros = 0;
    for (NodeExecStats node : nodes) {
      allMicros += node.getOpEndRelMicros() - node.getOpStartRelMicros();
      if (node.getNodeName().contains("/Recomputed")) {
        recomputedMicros += node.getOpEndRelMicros() - node.getOpStartRelMicros();
      }
    }
    System.out.printf("op time: all ops %d ms, recomputing ops %d ms%n", allMicros / 1000, recomputedMicros / 1000);
    System.out.printf("largest allocator_bytes_in_use reported by a node: %.1f MB (at %s)%n", reportedPeak / 1e6,
        reportedPeakNode);
    System.out.printf("largest per-node peak_bytes: %.1f MB%n", maxAllocatorPeak / 1e6);
    events.sort(Comparator.comparingLong(Event::micros).thenComparing(e -> -e.bytes()));
    long live = 0;
    long peak = 0;
    int peakIndex = -1;
    for (int i = 0; i < events.size(); i++) {
      live += events.get(i).bytes();
      if (live > peak) {
        peak = live;
        peakIndex = i;
      }
    }
    long start = events.isEmpty() ? 0 : events.get(0).micros();
    long peakTime = events.get(peakIndex).micros();
    System.out.printf("replayed peak of the step's own allocations: %.1f MB at +%d ms (event of %s)%n", peak / 1e6,
        (peakTime - start) / 1000, events.get(peakIndex).node());
    // Live bytes by allocating node at the peak.
    Map<String, Long> byNode = new HashMap<>();
    Map<String, String> opOf = new HashMap<>();
    for (int i = 0; i <= peakIndex; i++) {
      Event e = events.get(i);
      byNode.merge(e.node(), e.bytes(), Long::sum);
      opOf.put(e.node(), e.op());
    }
    Map<String, Long> byOp = new TreeMap<>();
    Map<String, Long> byKind = new TreeMap<>();
    byNode.forEach((node, bytes) -> {
      byOp.merge(opOf.get(node), bytes, Long::sum);
      byKind.merge(node.startsWith("gradients") ? "backward" : "forward and other", bytes, Long::sum);
    });
    System.out.println("running at the peak:");
    for (NodeExecStats node : nodes) {
      long begin = node.getAllStartMicros();
      long end = begin + node.getAllEndRelMicros();
      if (begin <= peakTime && peakTime <= end) {
        System.out.printf("  %s  [%s]%n", node.getNodeName(), node.getTimelineLabel());
      }
    }
    System.out.println("live at the peak by kind (MB): ");
    byKind.forEach((k, v) -> System.out.printf("  %-20s %8.1f%n", k, v / 1e6));
    System.out.println("live at the peak by op type (MB):");
    Comparator<Map.Entry<String, Long>> largestFirst = Map.Entry.<String, Long>comparingByValue().reversed();
    byOp.entrySet().stream().filter(e -> e.getValue() > 1_000_000).sorted(largestFirst)
        .forEach(e -> System.out.printf("  %-28s %8.1f%n", e.getKey(), e.getValue() / 1e6));
    System.out.printf("live at the peak, the %d largest by allocating node (MB):%n", top);
    byNode.entrySet().stream().filter(e -> e.getValue() > 0).sorted(largestFirst).limit(top)
        .forEach(e -> System.out.printf("  %8.1f  %s  [%s]%n", e.getValue() / 1e6, e.getKey(), opOf.get(e.getKey())));
    // Memory over the step, sampled: the shape of the curve.
    System.out.println("bytes in use over the step (MB, every 5% of the events):");
    live = 0;
    StringBuilder curve = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      live += events.get(i).bytes();
      if (i % Math.max(1, events.size() / 20) == 0) {
        curve.append(String.format(" %d@%dms", live / 1_000_000, (events.get(i).micros() - start) / 1000));
      }
    }
    System.out.println(curve);
  }
}
