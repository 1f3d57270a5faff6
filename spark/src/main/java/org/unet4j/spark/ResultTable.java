package org.unet4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.data.AtomicFiles;

/**
 * The per-image results table, one row per input in the order given, written as
 * {@code OUT/predictions.csv} (one file, for people and spreadsheets) and
 * {@code OUT/predictions.parquet} (a Parquet dataset folder, for Spark and pandas). Columns:
 * {@code name, input, width, height, pages, objects, foregroundFraction, seconds, status, error},
 * and with ground truth the ten scores of {@link ImageScores#COLUMNS}. Both replace the previous
 * run's table whole.
 */
public final class ResultTable {
  /** The CSV file's name in the output folder. */
  public static final String CSV = "predictions.csv";
  /** The Parquet folder's name in the output folder. */
  public static final String PARQUET = "predictions.parquet";
  /** The columns every table has, in order. */
  public static final List<String> COLUMNS = List.of("name", "input", "width", "height", "pages", "objects",
      "foregroundFraction", "seconds", "status", "error");

  private ResultTable() {}

  /** The columns of a table with ({@code scores}) or without evaluation. */
  public static List<String> columns(boolean scores) {
    List<String> columns = new ArrayList<>(COLUMNS);
    if (scores) {
      columns.addAll(ImageScores.COLUMNS);
    }
    return columns;
  }

  /** Writes {@code rows} as CSV to {@code file}, atomically. */
  public static void writeCsv(Path file, List<ImageRow> rows, boolean scores) {
    StringBuilder text = new StringBuilder(String.join(",", columns(scores))).append('\n');
    for (ImageRow row : rows) {
      List<String> cells = new ArrayList<>(List.of(quote(row.name()), quote(row.input()), text(row.width()),
          text(row.height()), text(row.pages()), text(row.objects()), number(row.foregroundFraction()),
          String.format(Locale.ROOT, "%.3f", row.seconds()), row.status().label(), quote(row.error())));
      if (scores) {
        ImageScores s = row.scores();
        for (int i = 0; i < ImageScores.COLUMNS.size(); i++) {
          cells.add(s == null ? "" : number(s.values()[i]));
        }
      }
      text.append(String.join(",", cells)).append('\n');
    }
    AtomicFiles.writeString(file, text.toString());
  }

  /** The Spark schema of the table. */
  public static StructType schema(boolean scores) {
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("name", DataTypes.StringType, false),
        DataTypes.createStructField("input", DataTypes.StringType, false),
        DataTypes.createStructField("width", DataTypes.IntegerType, true),
        DataTypes.createStructField("height", DataTypes.IntegerType, true),
        DataTypes.createStructField("pages", DataTypes.IntegerType, true),
        DataTypes.createStructField("objects", DataTypes.LongType, true),
        DataTypes.createStructField("foregroundFraction", DataTypes.DoubleType, true),
        DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
        DataTypes.createStructField("status", DataTypes.StringType, false),
        DataTypes.createStructField("error", DataTypes.StringType, true)));
    if (scores) {
      for (String column : ImageScores.COLUMNS) {
        fields.add(DataTypes.createStructField(column, DataTypes.DoubleType, true));
      }
    }
    return DataTypes.createStructType(fields);
  }

  /**
   * Writes {@code rows} as a Parquet dataset (one file) to the folder {@code folder} on the local
   * or shared file system, replacing it: written beside it under a temporary name, then renamed.
   */
  public static void writeParquet(SparkSession spark, Path folder, List<ImageRow> rows, boolean scores) {
    List<Row> data = new ArrayList<>(rows.size());
    for (ImageRow row : rows) {
      List<Object> values = new ArrayList<>(List.of(row.name(), row.input()));
      values.add(row.width());
      values.add(row.height());
      values.add(row.pages());
      values.add(row.objects());
      values.add(row.foregroundFraction());
      values.add(row.seconds());
      values.add(row.status().label());
      values.add(row.error());
      if (scores) {
        ImageScores s = row.scores();
        for (int i = 0; i < ImageScores.COLUMNS.size(); i++) {
          values.add(s == null || Double.isNaN(s.values()[i]) ? null : s.values()[i]);
        }
      }
      data.add(RowFactory.create(values.toArray()));
    }
    Path temporary = AtomicFiles.temporary(folder);
    // A file: URI, so that a cluster whose default file system is HDFS still writes beside the images.
    spark.createDataFrame(data, schema(scores)).coalesce(1).write().mode(SaveMode.ErrorIfExists)
        .parquet(temporary.toUri().toString());
    try {
      PartFiles.deleteTree(folder);
      Files.move(temporary, folder, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + temporary + " to " + folder + ": " + e.getMessage(), e);
    } finally {
      PartFiles.deleteTree(temporary);
    }
  }

  private static String text(@Nullable Object value) {
    return value == null ? "" : value.toString();
  }

  private static String number(@Nullable Double value) {
    return value == null || Double.isNaN(value) ? "" : Double.toString(value);
  }

  static String quote(@Nullable String value) {
    if (value == null) {
      return "";
    }
    return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
        ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }
}
