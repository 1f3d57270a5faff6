package org.unet4j.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unet4j.cli.Unet4j;
import org.unet4j.docs.MarkdownFences.Fence;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.ImageIo;
import org.unet4j.recipes.data.PixelType;

/**
 * Every {@code ./unet4j} command of the paper pages ({@code docs/guide/paper/*.md} and
 * {@code reproducing-the-paper.md}) runs, in page order, and must succeed. The pages' relative paths
 * are relative to the folder unet4j runs from, so the commands run in a child JVM whose working
 * directory is {@code docs/target/paper-replay}, filled with stand-in data of the challenges'
 * layouts: a few small synthetic slices under the file names the pages use.
 *
 * <p>The commands run as the pages write them, with one exception, {@link #SHORTENED}: training
 * commands get overrides appended so that a net of the paper's shape trains and predicts in a
 * second or two. The predict and evaluate commands after a training use its run, as a reader's do.
 *
 * <p>A {@code ```bash} block of these pages holds {@code ./unet4j} commands only (comments and
 * continuation lines allowed); other programs (shell loops, Fiji, Python) go in blocks marked
 * {@code ```bash no-replay}.
 */
class PaperCommandsTest {
  /**
   * What a replayed training command gets appended, the one change to the pages' commands: 2 steps
   * on 188-pixel tiles, the paper's net with 16 times fewer filters per stage (the same depth, so
   * the same tiles and margins; a checkpoint of 1 MB instead of 250), and prediction of each stand-in
   * slice in one 252-pixel tile without test-time augmentation.
   */
  static final List<String> SHORTENED = shortened();

  private static List<String> shortened() {
    List<String> sets = new ArrayList<>(List.of("training.steps=2", "training.tile=188",
        "training.checkpointEvery=2", "inference.tile=252", "inference.tta=none", "model.bottleneck.filters=64"));
    for (int stage = 0; stage < 4; stage++) {
      sets.add("model.contracting[" + stage + "].filters=" + (4 << stage));
      sets.add("model.expanding[" + stage + "].filters=" + (32 >> stage));
    }
    List<String> args = new ArrayList<>();
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    return List.copyOf(args);
  }

  /** Side of a stand-in slice: 4x4 cells of 16 pixels. */
  private static final int SIZE = 64;
  private static final int CELL = 16;

  /** How long the replay of all pages may take before it counts as hung. */
  private static final long TIMEOUT_MINUTES = 10;

  private static final Pattern SHELL = Pattern.compile("[|<>&;\"`$*?]");

  /** One command of a page: where it is and its words. */
  record Command(Fence fence, int line, List<String> words) {}

  /**
   * Replays the pages in a child JVM whose working directory is {@code docs/target/paper-replay}
   * (a JVM cannot change its own), then reports each command's exit status as a test of its own.
   */
  @TestFactory
  Stream<DynamicNode> everyCommandOfThePaperPagesRuns() throws IOException, InterruptedException {
    Path target = GuideFiles.root().resolve("docs/target");
    Path work = target.resolve("paper-replay");
    Path results = target.resolve("paper-replay-results");
    delete(work);
    delete(results);
    Files.createDirectories(work);
    Files.createDirectories(results);
    Path log = results.resolve("replay.log");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "-Dbasedir=" + GuideFiles.root().resolve("docs"), PaperCommandsTest.class.getName(),
        results.toString())
        .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!child.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      child.destroyForcibly();
      throw new AssertionError("the replay of the paper pages took over " + TIMEOUT_MINUTES + " minutes; see " + log);
    }
    List<DynamicNode> pages = new ArrayList<>();
    int index = 0;
    for (Path file : pages()) {
      String name = GuideFiles.name(file);
      List<DynamicNode> tests = new ArrayList<>();
      for (Command c : commands(file, name)) {
        Path result = results.resolve(index++ + ".txt");
        URI source = URI.create(file.toUri() + "?line=" + (c.fence().fenceLine() + c.line()));
        tests.add(DynamicTest.dynamicTest("line " + (c.fence().fenceLine() + c.line()) + ": "
            + String.join(" ", c.words()), source, () -> checkResult(c, result, log)));
      }
      pages.add(DynamicContainer.dynamicContainer(name, file.toUri(), tests.stream()));
    }
    assertTrue(pages.size() >= 4, "the paper pages and reproducing-the-paper.md: " + pages.size());
    assertTrue(index >= 15, "commands replayed: " + index);
    return pages.stream();
  }

  /**
   * The child JVM: writes the stand-in data into the working directory and runs every command of
   * the pages in order, each one's exit status and output into {@code RESULTS/<index>.txt}.
   */
  public static void main(String[] args) throws IOException {
    Path results = Path.of(args[0]);
    writeStandInData(Path.of("").toAbsolutePath());
    int index = 0;
    for (Path file : pages()) {
      for (Command c : commands(file, GuideFiles.name(file))) {
        List<String> words = new ArrayList<>(c.words().subList(1, c.words().size()));
        if (words.get(0).equals("train")) {
          words.addAll(SHORTENED);
        }
        StringWriter printed = new StringWriter();
        PrintWriter both = new PrintWriter(printed, true);
        int status = Unet4j.run(words.toArray(new String[0]), both, both);
        both.flush();
        Files.writeString(results.resolve(index++ + ".txt"), status + "\n" + printed);
      }
    }
  }

  private static void checkResult(Command c, Path result, Path log) throws IOException {
    String where = c.fence().where(c.line()) + ": `" + String.join(" ", c.words()) + "`";
    if (!Files.isRegularFile(result)) {
      throw new AssertionError(where + " did not run; the replay stopped before it:\n" + Files.readString(log));
    }
    String text = Files.readString(result);
    int newline = text.indexOf('\n');
    assertEquals("0", text.substring(0, newline), () -> where + " failed:\n" + text.substring(newline + 1));
  }

  /** The pages whose commands are replayed, in path order. */
  static List<Path> pages() {
    return GuideFiles.markdown().stream().filter(file -> {
      String name = GuideFiles.name(file);
      return name.startsWith("docs/guide/paper/") || name.equals("docs/guide/reproducing-the-paper.md");
    }).toList();
  }

  /** The {@code ./unet4j} commands of a page's bash blocks, continuation lines joined. */
  static List<Command> commands(Path file, String name) {
    List<Command> commands = new ArrayList<>();
    for (Fence fence : MarkdownFences.read(file, name)) {
      if (!fence.language().equals("bash") || fence.has("no-replay")) {
        continue;
      }
      String[] lines = fence.code().split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        int first = i;
        StringBuilder text = new StringBuilder();
        String line = lines[i].strip();
        while (line.endsWith("\\") && i + 1 < lines.length) {
          text.append(line, 0, line.length() - 1).append(' ');
          line = lines[++i].strip();
        }
        text.append(line);
        String command = text.toString().strip();
        if (command.isEmpty() || command.startsWith("#")) {
          continue;
        }
        String where = fence.where(first + 1);
        if (!command.startsWith("./unet4j ") || SHELL.matcher(command).find()) {
          throw new AssertionError(where + ": `" + command + "` is not a plain ./unet4j command, which this test"
              + " replays; put other programs in a ```bash no-replay block");
        }
        commands.add(new Command(fence, first + 1, words(command)));
      }
    }
    return commands;
  }

  /** The words of a command: split at spaces, single quotes keeping a word together (as a shell does). */
  static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char ch : command.toCharArray()) {
      if (ch == '\'') {
        quoted = !quoted;
        any = true;
      } else if (ch == ' ' && !quoted) {
        if (any) {
          words.add(word.toString());
        }
        word.setLength(0);
        any = false;
      } else {
        word.append(ch);
        any = true;
      }
    }
    if (any) {
      words.add(word.toString());
    }
    return words;
  }

  /** The challenges' files as the pages name them, each a few small synthetic slices. */
  private static void writeStandInData(Path root) {
    Path isbi = root.resolve("data/isbi2012");
    writeStack(isbi.resolve("train-volume.tif"), isbi.resolve("train-labels.tif"), 0, 3);
    writeStack(isbi.resolve("test-volume.tif"), null, 3, 3);
    writeStack(isbi.resolve("split/train-volume.tif"), isbi.resolve("split/train-labels.tif"), 0, 2);
    writeStack(isbi.resolve("split/test-volume.tif"), isbi.resolve("split/test-labels.tif"), 2, 2);
    for (String[] ctc : new String[][] {{"phc-u373", "PhC-C2DH-U373"}, {"dic-hela", "DIC-C2DH-HeLa"}}) {
      for (String seq : List.of("01", "02")) {
        for (int t = 0; t < 2; t++) {
          int slice = seq.equals("01") ? t : 2 + t;
          String frame = String.format("%s_t%03d.tif", seq, t);
          Path data = root.resolve("data").resolve(ctc[0]).resolve(seq);
          write(data.resolve("images").resolve(frame), image(slice));
          write(data.resolve("labels").resolve(frame), instances(slice));
          write(root.resolve("challenge").resolve(ctc[1]).resolve(seq).resolve(String.format("t%03d.tif", t)),
              image(slice));
        }
      }
    }
  }

  /** Slices {@code first..} as an image stack and, unless null, its ISBI labels (255 cell, 0 membrane). */
  private static void writeStack(Path images, Path labels, int first, int count) {
    List<Image> pages = new ArrayList<>();
    List<Image> membranes = new ArrayList<>();
    for (int s = first; s < first + count; s++) {
      pages.add(image(s));
      float[] cells = instances(s).channel(0);
      for (int i = 0; i < cells.length; i++) {
        cells[i] = cells[i] > 0 ? 255 : 0;
      }
      membranes.add(Image.gray(SIZE, SIZE, PixelType.UINT8, cells));
    }
    createParent(images);
    ImageIo.writeTiffPages(images, pages);
    if (labels != null) {
      ImageIo.writeTiffPages(labels, membranes);
    }
  }

  /** Slice {@code s}'s cells: a grid of 16-pixel cells shifted by {@code s}, 2-pixel membranes between them. */
  private static Image instances(int s) {
    float[] labels = new float[SIZE * SIZE];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int cx = Math.floorMod(x + s, CELL);
        int cy = Math.floorMod(y + 2 * s, CELL);
        boolean membrane = cx < 2 || cy < 2;
        labels[y * SIZE + x] = membrane ? 0 : 1 + Math.floorDiv(y + 2 * s, CELL) * 8 + Math.floorDiv(x + s, CELL);
      }
    }
    return Image.gray(SIZE, SIZE, PixelType.UINT16, labels);
  }

  /** Slice {@code s}'s image: bright cells, dark membranes, some noise. */
  private static Image image(int s) {
    Random random = new Random(s);
    float[] cells = instances(s).channel(0);
    float[] pixels = new float[cells.length];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = Math.round(Math.max(0, Math.min(255, (cells[i] > 0 ? 190 : 60) + 20 * random.nextGaussian())));
    }
    return Image.gray(SIZE, SIZE, PixelType.UINT8, pixels);
  }

  private static void write(Path file, Image image) {
    createParent(file);
    ImageIo.writeTiff(file, image);
  }

  private static void createParent(Path file) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
