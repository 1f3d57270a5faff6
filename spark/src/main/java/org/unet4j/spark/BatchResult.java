package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;

/**
 * What a batch prediction did.
 *
 * @param rows one row per input image, in the order given
 * @param units the work units predicted
 * @param csv the results table as CSV
 * @param parquet the results table as a Parquet folder
 * @param seconds the time from the survey to the table
 */
public record BatchResult(ImmutableList<ImageRow> rows, int units, Path csv, Path parquet, double seconds) {

  public BatchResult {
    checkNotNull(rows, "rows");
    checkNotNull(csv, "csv");
    checkNotNull(parquet, "parquet");
  }

  public long count(ImageRow.Status status) {
    return rows.stream().filter(r -> r.status() == status).count();
  }
}
