package org.unet4j.recipes.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws {@code loss.png} from the metrics: the loss per step, its moving average and validation. */
public final class LossCurve {
  private LossCurve() {}

  /** Writes the plot of {@code rows} to {@code png} (replacing it atomically). */
  public static void write(List<MetricsLog.Row> rows, Path png, String title) {
    if (rows.isEmpty()) {
      return;
    }
    XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step")
        .yAxisTitle("loss").build();
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    chart.getStyler().setMarkerSize(0);
    List<Double> steps = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Double> smooth = new ArrayList<>();
    List<Double> validationSteps = new ArrayList<>();
    List<Double> validation = new ArrayList<>();
    double average = rows.get(0).loss();
    double alpha = 2.0 / (Math.min(50, Math.max(2, rows.size() / 10)) + 1);
    for (MetricsLog.Row row : rows) {
      if (!Double.isFinite(row.loss())) {
        continue;
      }
      steps.add((double) row.step());
      losses.add(row.loss());
      average = alpha * row.loss() + (1 - alpha) * average;
      smooth.add(average);
      if (!Double.isNaN(row.validationLoss())) {
        validationSteps.add((double) row.step());
        validation.add(row.validationLoss());
      }
    }
    if (steps.isEmpty()) {
      return;
    }
    XYSeries raw = chart.addSeries("loss", steps, losses);
    raw.setLineColor(new java.awt.Color(160, 190, 230));
    raw.setMarker(SeriesMarkers.NONE);
    chart.addSeries("moving average", steps, smooth).setMarker(SeriesMarkers.NONE);
    if (!validation.isEmpty()) {
      chart.addSeries("validation", validationSteps, validation).setMarker(SeriesMarkers.CIRCLE);
    }
    Path temp = png.resolveSibling(".tmp-" + png.getFileName());
    try {
      // Encoded straight into a file of the run: ImageIO writing to a plain stream buffers through a
      // cache file in the system's temporary folder, which a kill would leave behind.
      BufferedImage image = BitmapEncoder.getBufferedImage(chart);
      Files.deleteIfExists(temp);
      try (ImageOutputStream out = new FileImageOutputStream(temp.toFile())) {
        if (!ImageIO.write(image, "png", out)) {
          throw new IOException("no PNG writer");
        }
      }
      Files.move(temp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }
}
