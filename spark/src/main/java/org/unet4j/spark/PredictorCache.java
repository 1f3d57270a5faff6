package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.unet4j.recipes.infer.Predictor;
import org.unet4j.recipes.model.ModelSource;

/**
 * The predictors of this JVM, one per model and inference settings, opened by the first task that
 * needs one and shared by every later task of the executor (and by its concurrent tasks:
 * {@link Predictor#predict} is thread-safe). Loading the TensorFlow native library, compiling the
 * graph and restoring the weights thus happen once per executor, not once per task. The
 * predictors live as long as the JVM; a driver that ran the work itself (local mode) closes them
 * with {@link #closeAll}.
 */
public final class PredictorCache {
  private static final Map<Key, Predictor> OPEN = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private PredictorCache() {}

  /** A model folder, absolute, and the overrides of its recipe's inference settings. */
  private record Key(String model, InferenceOptions inference) {}

  /**
   * The predictor for {@code model} (resolved against this JVM's working directory) with
   * {@code inference}, opened on first use.
   *
   * @throws IllegalStateException when the model cannot be opened here, with the reason and the
   *     host (on a cluster: is the model on a path every executor sees?)
   */
  public static Predictor get(String model, InferenceOptions inference) {
    checkNotNull(model, "model");
    checkNotNull(inference, "inference");
    Key key = new Key(Path.of(model).toAbsolutePath().normalize().toString(), inference);
    return OPEN.computeIfAbsent(key, k -> {
      try {
        ModelSource source = ModelSource.of(Path.of(k.model()));
        Predictor predictor = Predictor.open(source, inference.applyTo(source.recipe().inference()));
        LOADS.incrementAndGet();
        return predictor;
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot open the model " + k.model() + " on " + host() + ": "
            + e.getMessage(), e);
      }
    });
  }

  /** How many predictors this JVM has opened since it started: one per model and settings. */
  public static int loads() {
    return LOADS.get();
  }

  /** Closes every predictor of this JVM (its native graph and session). */
  public static void closeAll() {
    for (Key key : OPEN.keySet()) {
      Predictor predictor = OPEN.remove(key);
      if (predictor != null) {
        predictor.close();
      }
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "this host";
    }
  }
}
