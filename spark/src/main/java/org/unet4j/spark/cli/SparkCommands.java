package org.unet4j.spark.cli;

import java.util.List;
import org.unet4j.cli.CommandProvider;

/**
 * Adds {@code spark-predict} to the {@code unet4j} command line wherever the spark module is on
 * the class path (listed in {@code META-INF/services/org.unet4j.cli.CommandProvider}), so the
 * spark module's jar and the job jar that {@code spark-submit} runs have {@code org.unet4j.cli.Unet4j}
 * as their main class.
 */
public final class SparkCommands implements CommandProvider {
  @Override
  public List<Object> commands() {
    return List.of(new SparkPredictCommand());
  }
}
