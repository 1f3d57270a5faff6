package org.unet4j.recipes.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import org.unet4j.recipes.data.AtomicFiles;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.eval.EvaluationReport;
import org.unet4j.recipes.eval.Scores;

/**
 * The demo's one-page summary, {@code summary.md} and {@code summary.png}: what ran and how long
 * it took, the held-out scores of unet4j beside the Otsu baseline, the scores per image, the
 * loss curve and a few overlays. {@link #format()} is the score table the demo prints.
 *
 * <p>The demo folder holds {@code run/} (the training run, whose {@code loss.png} is shown),
 * {@code predictions/} (whose {@code NAME_overlay.png} are shown) and {@value #SCORES}.
 */
public final class DemoReport {
  /** The predictions' scores in the demo folder, as {@link EvaluationReport#json()} writes them. */
  public static final String SCORES = "scores.json";
  /** How long the demo's steps took, and how many training steps it ran. */
  public record Timings(long steps, double trainSeconds, double predictSeconds, double evaluateSeconds,
      double totalSeconds) {}

  /** A headline score, how it is printed, and whether more is better. */
  record Row(String key, String label, boolean higherIsBetter) {}

  static final List<Row> ROWS = List.of(
      new Row("iou", "foreground IoU", true),
      new Row("dice", "Dice", true),
      new Row("objectF1", "object F1 at IoU 0.5", true),
      new Row("ap", "AP, IoU 0.5 to 0.95", true),
      new Row("pixelError", "pixel error", false),
      new Row("randError", "Rand error", false),
      new Row("warpingError", "warping error", false),
      new Row("vRand", "V_rand", true),
      new Row("vInfo", "V_info", true));

  /** Overlays shown in the picture. */
  private static final int PICTURES = 3;

  private final Timings timings;
  private final Path directory;
  private final JsonNode unet;
  private final Scores otsu;

  private DemoReport(Path directory, JsonNode unet, Scores otsu, Timings timings) {
    this.timings = timings;
    this.directory = directory;
    this.unet = unet;
    this.otsu = otsu;
  }

  /**
   * The report of a demo folder: the predictions' scores beside the baseline's mean scores
   * {@code otsu} ({@link org.unet4j.recipes.eval.OtsuBaseline#evaluate}).
   */
  public static DemoReport of(Path directory, EvaluationReport scores, Scores otsu, Timings timings) {
    JsonNode unet;
    try {
      unet = new ObjectMapper().readTree(scores.json());
    } catch (IOException e) {
      throw new IllegalStateException("the scores' own JSON does not read back: " + e.getMessage(), e);
    }
    return new DemoReport(directory, unet, otsu, timings);
  }

  /** The demo folder. */
  public Path directory() {
    return directory;
  }

  public Timings timings() {
    return timings;
  }

  /** The baseline's mean scores on the held-out images. */
  public Scores otsu() {
    return otsu;
  }

  static String number(String key, double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return String.format(Locale.ROOT, key.equals("warpingError") ? "%.6f" : "%.4f", value);
  }

  /** A mean score of the predictions by its JSON key ({@code iou}, {@code objectF1}, ...); NaN when absent. */
  public double unet(String key) {
    JsonNode value = unet.at("/mean/" + key);
    return value.isNumber() ? value.asDouble() : Double.NaN;
  }

  /** The score table for the terminal: one line per score, unet4j beside Otsu. */
  public List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-22s %10s %10s", "held-out mean", "unet4j", "Otsu"));
    for (Row row : ROWS) {
      lines.add(String.format(Locale.ROOT, "%-22s %10s %10s", row.label(), number(row.key(), unet(row.key())),
          number(row.key(), EvaluationReport.value(otsu, row.key()))));
    }
    return lines;
  }

  /** {@link #table()} as lines of text, each ending in a newline. */
  public String format() {
    StringBuilder text = new StringBuilder();
    for (String line : table()) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  /** Writes {@code summary.md} and {@code summary.png} into the demo folder. */
  public void write() {
    String markdown = markdown();
    AtomicFiles.writeString(directory.resolve("summary.md"), markdown);
    ImageIo.writePng(directory.resolve("summary.png"), picture());
  }

  /** The one-page summary in Markdown, as {@code summary.md}. */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# unet4j demo: nuclei-demo on BBBC039\n\n");
    md.append(String.format(Locale.ROOT, "Trained `nuclei-demo` for %d steps on the 40 bundled training images in"
        + " %.0f s, segmented the %d held-out images in %.0f s and scored them in %.0f s; %.1f min in all, on %d"
        + " processor%s (%s, Java %s).%n%n", timings.steps(), timings.trainSeconds(), unet.at("/images").size(),
        timings.predictSeconds(), timings.evaluateSeconds(), timings.totalSeconds() / 60,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().availableProcessors() == 1 ? "" : "s", System.getProperty("os.arch"),
        System.getProperty("java.version")));
    md.append("![summary](summary.png)\n\n");
    md.append("## Scores on the held-out images (mean over images)\n\n");
    md.append("| score | unet4j | Otsu + components |\n|---|---:|---:|\n");
    for (Row row : ROWS) {
      double u = unet(row.key());
      double o = EvaluationReport.value(otsu, row.key());
      boolean better = row.higherIsBetter() ? u > o : u < o;
      String shown = number(row.key(), u);
      md.append("| ").append(row.label()).append(" | ").append(better ? "**" + shown + "**" : shown).append(" | ")
          .append(number(row.key(), o)).append(" |\n");
    }
    md.append("\nObject scores use the predicted instances (`NAME_labels.tif`: threshold, hole filling, minimum"
        + " object size); the ISBI metrics read the probability map at their best thresholds"
        + " ([metrics](../docs/guide/metrics.md) in the unet4j sources). The baseline is Otsu's global"
        + " threshold and 4-connected components, with nothing else.\n\n");
    md.append("## Per image\n\n| image | IoU | Dice | object F1 | objects (true / found / matched) |\n"
        + "|---|---:|---:|---:|---:|\n");
    for (JsonNode image : unet.at("/images")) {
      md.append(String.format(Locale.ROOT, "| [%s](predictions/%s_overlay.png) | %s | %s | %s | %d / %d / %d |%n",
          image.at("/name").asText(), image.at("/name").asText(), number("iou", image.at("/iou").asDouble()),
          number("dice", image.at("/dice").asDouble()), number("objectF1", image.at("/objectF1").asDouble()),
          image.at("/objects/truth").asInt(), image.at("/objects/predicted").asInt(),
          image.at("/objects/matched").asInt()));
    }
    md.append("\n## Files\n\n- `run/`: the training run (`recipe.json`, `metrics.csv`, `loss.png`, `train.log`,"
        + " checkpoints)\n- `predictions/`: `NAME_prob.tif`, `NAME_labels.tif`, `NAME_overlay.png`\n- `scores.json`,"
        + " `scores.csv`: every score per image\n\n");
    md.append("Segment other images with this model:\n\n```\n./unet4j predict --model " + directory.resolve("run")
        + " --out OUT IMAGES...\n```\n");
    return md.toString();
  }

  /** One picture: the score table, the loss curve and the first overlays, as {@code summary.png}. */
  public BufferedImage picture() {
    int width = 1500;
    int thumb = (width - 4 * 20) / PICTURES;
    @Nullable BufferedImage loss = read(directory.resolve("run/loss.png"));
    List<BufferedImage> overlays = new ArrayList<>();
    for (JsonNode image : unet.at("/images")) {
      if (overlays.size() == PICTURES) {
        break;
      }
      BufferedImage overlay = read(directory.resolve("predictions/" + image.at("/name").asText() + "_overlay.png"));
      if (overlay != null) {
        overlays.add(overlay);
      }
    }
    int tableHeight = 60 + 34 * (ROWS.size() + 1);
    int lossHeight = loss == null ? 0 : Math.min(tableHeight, loss.getHeight() * 700 / loss.getWidth());
    int thumbHeight = overlays.stream().mapToInt(o -> o.getHeight() * thumb / o.getWidth()).max().orElse(0);
    int height = 80 + Math.max(tableHeight, lossHeight) + 40 + thumbHeight + 60;
    BufferedImage page = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = page.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
      g.drawString("unet4j demo: nuclei-demo on BBBC039", 20, 45);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
      g.drawString(String.format(Locale.ROOT, "%d training steps in %.0f s; %d held-out images segmented in %.0f s;"
          + " %.1f min in all", timings.steps(), timings.trainSeconds(), unet.at("/images").size(),
          timings.predictSeconds(), timings.totalSeconds() / 60),
          20, 72);
      int y = 120;
      g.setFont(new Font(Font.MONOSPACED, Font.BOLD, 22));
      g.drawString(String.format(Locale.ROOT, "%-22s %9s %9s", "held-out mean", "unet4j", "Otsu"), 20, y);
      g.setStroke(new BasicStroke(1.5f));
      g.drawLine(20, y + 10, 20 + 570, y + 10);
      g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 22));
      for (Row row : ROWS) {
        y += 34;
        g.drawString(String.format(Locale.ROOT, "%-22s %9s %9s", row.label(), number(row.key(), unet(row.key())),
            number(row.key(), EvaluationReport.value(otsu, row.key()))), 20, y);
      }
      if (loss != null) {
        g.drawImage(loss, width - 720, 90, 700, lossHeight, null);
      }
      int top = 80 + Math.max(tableHeight, lossHeight) + 40;
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
      for (int i = 0; i < overlays.size(); i++) {
        BufferedImage overlay = overlays.get(i);
        int x = 20 + i * (thumb + 20);
        g.drawImage(overlay, x, top, thumb, overlay.getHeight() * thumb / overlay.getWidth(), null);
      }
      g.drawString("held-out images with the predicted objects' contours (predictions/*_overlay.png)", 20,
          top + thumbHeight + 35);
    } finally {
      g.dispose();
    }
    return page;
  }

  private static @Nullable BufferedImage read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return ImageIO.read(file.toFile());
    } catch (IOException e) {
      return null;
    }
  }
}
