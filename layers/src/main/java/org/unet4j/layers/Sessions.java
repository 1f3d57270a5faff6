package org.unet4j.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RewriterConfig;

/**
 * Opens the TensorFlow sessions that run compiled models, with one set of settings for training,
 * prediction and the benchmark (the measurements behind them are in {@code docs/performance.md}).
 *
 * <p>{@code threads = 0} keeps TensorFlow's thread pools (one thread per core for each op and as
 * many ops at once). A positive {@code threads} runs one op at a time on that many threads. The
 * pools are process-wide: TensorFlow sizes them when the process opens its first session and
 * ignores the thread counts of later sessions.
 *
 * <p>Training sessions ({@link #openForTraining}) switch off Grappler's arithmetic optimizer. Its
 * rewrite of nested additions into one {@code AddN} orders the terms by how the gradient graph
 * happened to be built, which changes with memory addresses from one build to the next, so two
 * runs of the same recipe would drift apart in the last bits; without it a training step is
 * reproducible bit for bit (measured to cost no speed, {@code docs/performance.md}).
 */
public final class Sessions {
  private Sessions() {}

  /** A session of {@code graph} with {@code threads} threads per op (0: TensorFlow's default). */
  public static Session open(Graph graph, int threads) {
    return new Session(graph, config(threads));
  }

  /** The session settings for {@code threads} threads per op (0: TensorFlow's default). */
  public static ConfigProto config(int threads) {
    checkArgument(threads >= 0, "threads must be 0 (TensorFlow's default) or positive, got %s", threads);
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (threads > 0) {
      config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(1);
    }
    return config.build();
  }

  /**
   * A session of a training graph: {@link #open}'s settings without Grappler's arithmetic
   * optimizer, so that gradient sums keep the order the graph gives them.
   */
  public static Session openForTraining(Graph graph, int threads) {
    return new Session(graph, trainingConfig(threads));
  }

  /** The settings of {@link #openForTraining}. */
  public static ConfigProto trainingConfig(int threads) {
    ConfigProto.Builder config = config(threads).toBuilder();
    config.setGraphOptions(config.getGraphOptions().toBuilder().setRewriteOptions(RewriterConfig.newBuilder()
        .setArithmeticOptimization(RewriterConfig.Toggle.OFF)));
    return config.build();
  }

  /** The settings of {@link #config(int)} in words, for reports: thread pools and graph rewrites. */
  public static Map<String, Object> describe(int threads) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("intraOpThreads", threads > 0 ? String.valueOf(threads) : "TensorFlow default (one per core)");
    settings.put("interOpThreads", threads > 0 ? "1" : "TensorFlow default (one per core)");
    settings.put("grappler", "TensorFlow default; training without the arithmetic optimizer");
    settings.put("xlaJit", "off");
    return settings;
  }
}
