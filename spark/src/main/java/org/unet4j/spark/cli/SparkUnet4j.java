package org.unet4j.spark.cli;

import java.io.PrintWriter;
import org.unet4j.cli.Unet4j;

/**
 * The {@code unet4j} command line with {@code spark-predict}: the main class of the spark module's
 * jar and of the job jar that {@code spark-submit} runs. Spark's own log lines are kept to
 * warnings unless a log4j2 configuration is given.
 */
public final class SparkUnet4j {
  /** Spark's INFO lines would bury the progress; warnings and errors still show. */
  static final String QUIET_LOGGING = "org/unet4j/spark/log4j2-quiet.properties";

  private SparkUnet4j() {}

  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", QUIET_LOGGING);
    }
    System.exit(Unet4j.run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        new SparkPredictCommand()));
  }
}
