package org.unet4j.layers;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens the TensorFlow sessions that run compiled models, with one set of settings for training,
 * prediction and the benchmark (the measurements behind them are in {@code docs/performance.md}).
 *
 * <p>{@code threads = 0} keeps TensorFlow's thread pools (one thread per core for each op and as
 * many ops at once). A positive {@code threads} runs one op at a time on that many threads. The
 * pools are process-wide: TensorFlow sizes them when the process opens its first session and
 * ignores the thread counts of later sessions.
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

  /** The settings of {@link #config(int)} in words, for reports: thread pools and graph rewrites. */
  public static Map<String, Object> describe(int threads) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("intraOpThreads", threads > 0 ? String.valueOf(threads) : "TensorFlow default (one per core)");
    settings.put("interOpThreads", threads > 0 ? "1" : "TensorFlow default (one per core)");
    settings.put("grappler", "TensorFlow default (remapper and arithmetic optimizer on)");
    settings.put("xlaJit", "off");
    return settings;
  }
}
