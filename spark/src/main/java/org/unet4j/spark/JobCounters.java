package org.unet4j.spark;

import java.io.Serializable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The job's progress as the executors report it: Spark accumulators, which reach the driver as
 * tasks end (and count a retried task once: Spark merges only the successful attempt's updates
 * of a result stage).
 */
final class JobCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final LongAccumulator done;
  private final LongAccumulator failed;
  private final LongAccumulator evaluated;

  JobCounters(JavaSparkContext jsc) {
    this.done = jsc.sc().longAccumulator("unet4j images done");
    this.failed = jsc.sc().longAccumulator("unet4j images failed");
    this.evaluated = jsc.sc().longAccumulator("unet4j images evaluated");
  }

  /** An image's outputs are written ({@code succeeded}) or it failed. */
  void imageDone(boolean succeeded) {
    done.add(1);
    if (!succeeded) {
      failed.add(1);
    }
  }

  void imageEvaluated() {
    evaluated.add(1);
  }

  long done() {
    return done.value();
  }

  long failed() {
    return failed.value();
  }

  long evaluated() {
    return evaluated.value();
  }
}
