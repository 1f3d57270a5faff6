package org.unet4j.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows of docs/architecture.md, checked on the import lines of every module's main sources:
 * arrows only point down dsl, labels, augment, layers, losses, data, train, model, infer, eval, and
 * the command line and Spark are clients that nothing below them imports.
 */
class PackageArrowsTest {
  /** A package (prefix) that must not import another (prefix). */
  private record Rule(String from, String to, String why) {
    boolean forbids(String fromPackage, String imported) {
      return within(fromPackage, from) && within(imported, to) && !allowed(fromPackage, imported);
    }

    private static boolean within(String name, String prefix) {
      return name.equals(prefix) || name.startsWith(prefix + ".");
    }

    /*
     * Spark's own command line plugs into the unet4j command line through its public surface for
     * other modules' commands, and nothing else of it.
     */
    private static boolean allowed(String fromPackage, String imported) {
      return within(fromPackage, "org.unet4j.spark.cli") && COMMAND_LINE_SURFACE.contains(imported);
    }
  }

  private static final String R = "org.unet4j.recipes.";
  /**
   * What a command from another module may use of the command line: the provider it is found
   * through, the exception for a mistake in its options, and the option mixins that
   * {@code predict} and {@code spark-predict} share (inference settings, per-object outputs).
   */
  private static final List<String> COMMAND_LINE_SURFACE = List.of("org.unet4j.cli.CommandProvider",
      "org.unet4j.cli.UserException", "org.unet4j.cli.InferenceOverrides", "org.unet4j.cli.ObjectOutputOptions");
  private static final List<Rule> RULES = List.of(
      new Rule("org.unet4j.dsl", "org.tensorflow", "specs never load TensorFlow"),
      new Rule("org.unet4j.labels", "org.tensorflow", "label tools never load TensorFlow"),
      new Rule("org.unet4j.augment", "org.tensorflow", "augmentation never loads TensorFlow"),
      new Rule("org.unet4j.dsl", "org.unet4j.labels", "dsl is the bottom"),
      new Rule("org.unet4j.dsl", "org.unet4j.augment", "dsl is the bottom"),
      new Rule("org.unet4j.dsl", "org.unet4j.layers", "dsl is the bottom"),
      new Rule("org.unet4j.dsl", "org.unet4j.losses", "dsl is the bottom"),
      new Rule("org.unet4j.dsl", "org.unet4j.recipes", "dsl is the bottom"),
      new Rule("org.unet4j.dsl.model", "org.unet4j.dsl.geometry", "tiling reads the model and its geometry, not back"),
      new Rule("org.unet4j.dsl.model", "org.unet4j.dsl.recipe", "a model spec knows no recipe"),
      new Rule("org.unet4j.labels", "org.unet4j.augment", "labels sit below augment"),
      new Rule("org.unet4j.labels", "org.unet4j.layers", "labels sit below the compiler"),
      new Rule("org.unet4j.labels", "org.unet4j.losses", "labels sit below the losses"),
      new Rule("org.unet4j.labels", "org.unet4j.recipes", "labels sit below the runtime"),
      new Rule("org.unet4j.augment", "org.unet4j.recipes", "augment sits below the runtime"),
      new Rule("org.unet4j.layers", "org.unet4j.recipes", "the compiler sits below the runtime"),
      new Rule("org.unet4j.losses", "org.unet4j.recipes", "losses sit below the runtime"),
      new Rule(R + "data", R + "train", "data comes before training"),
      new Rule(R + "data", R + "model", "data comes before the model"),
      new Rule(R + "data", R + "infer", "data comes before inference"),
      new Rule(R + "data", R + "eval", "data comes before evaluation"),
      new Rule(R + "model", R + "train", "the model on disk does not know who trained it"),
      new Rule(R + "model", R + "infer", "the model on disk does not know who reads it"),
      new Rule(R + "model", R + "eval", "the model on disk does not know who scores it"),
      new Rule(R + "train", R + "infer", "training does not predict"),
      new Rule(R + "train", R + "eval", "training's validation scores are its own"),
      new Rule(R + "infer", R + "train", "inference reads models, never the trainer"),
      new Rule(R + "infer", R + "eval", "inference comes before evaluation"),
      new Rule(R + "eval", R + "train", "evaluation scores label images"),
      new Rule(R + "eval", R + "model", "evaluation scores label images"),
      new Rule(R + "eval", R + "infer", "evaluation scores label images"),
      new Rule(R + "data", R + "demo", "the demo is a client of the runtime"),
      new Rule(R + "train", R + "demo", "the demo is a client of the runtime"),
      new Rule(R + "model", R + "demo", "the demo is a client of the runtime"),
      new Rule(R + "infer", R + "demo", "the demo is a client of the runtime"),
      new Rule(R + "eval", R + "demo", "the demo is a client of the runtime"),
      new Rule(R + "bench", R + "demo", "the demo is a client of the runtime"),
      new Rule("org.unet4j.recipes", "org.unet4j.cli", "the runtime knows no command line"),
      new Rule("org.unet4j.cli", "org.unet4j.spark", "modules add commands through CommandProvider"),
      new Rule("org.unet4j.cli", "org.unet4j.kotlin", "the command line is a client of the Java runtime"),
      new Rule("org.unet4j.recipes", "org.unet4j.spark", "Spark is a client of the runtime"),
      new Rule("org.unet4j.recipes", "org.unet4j.kotlin", "Kotlin is a client of the runtime"),
      new Rule("org.unet4j.spark", "org.unet4j.cli", "Spark is a client of the runtime; its command only plugs in"),
      new Rule("org.unet4j.kotlin", "org.unet4j.cli", "the Kotlin faces are a client of the runtime"));

  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)", Pattern.MULTILINE);
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final List<String> MODULES =
      List.of("dsl", "labels", "augment", "layers", "losses", "recipes", "cli", "spark", "kotlin");

  @Test
  void arrowsOnlyPointDown() throws IOException {
    Path root = repositoryRoot();
    List<String> violations = new ArrayList<>();
    int files = 0;
    for (String module : MODULES) {
      Path main = root.resolve(module).resolve("src/main");
      assertTrue(Files.isDirectory(main), "no main sources at " + main);
      try (Stream<Path> sources = Files.walk(main)) {
        for (Path source : sources.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".kt")).toList()) {
          files++;
          violations.addAll(violations(root.relativize(source).toString(), Files.readString(source)));
        }
      }
    }
    assertTrue(files > 100, "only " + files + " sources found under " + root);
    assertEquals(List.of(), violations);
  }

  /* The scanner itself: a forbidden import is found, static or not, and Spark's command line may plug in. */
  @Test
  void theScannerFindsForbiddenImports() {
    String data = "package org.unet4j.recipes.data;\n\nimport org.unet4j.recipes.data.Image;\n"
        + "import static org.unet4j.recipes.train.Trainer.run;\nimport org.tensorflow.Graph;\n";
    assertEquals(List.of("Data.java: org.unet4j.recipes.data imports org.unet4j.recipes.train.Trainer.run"
        + " (data comes before training)"), violations("Data.java", data));
    String dsl = "package org.unet4j.dsl.model\n\nimport org.tensorflow.Graph\n";
    assertEquals(1, violations("Model.kt", dsl).size());
    String sparkCli = "package org.unet4j.spark.cli;\nimport org.unet4j.cli.CommandProvider;\n"
        + "import org.unet4j.cli.UserException;\n";
    assertEquals(List.of(), violations("SparkCommands.java", sparkCli));
    String sparkCliInternals = "package org.unet4j.spark.cli;\nimport org.unet4j.cli.Unet4j;\n";
    assertEquals(1, violations("SparkCommands.java", sparkCliInternals).size());
    String spark = "package org.unet4j.spark;\nimport org.unet4j.cli.Unet4j;\n";
    assertEquals(1, violations("SparkPrediction.java", spark).size());
  }

  private static List<String> violations(String file, String text) {
    Matcher pkg = PACKAGE.matcher(text);
    if (!pkg.find()) {
      return List.of(file + ": no package line");
    }
    String from = pkg.group(1);
    List<String> found = new ArrayList<>();
    Matcher imports = IMPORT.matcher(text);
    while (imports.find()) {
      String imported = imports.group(1);
      for (Rule rule : RULES) {
        if (rule.forbids(from, imported)) {
          found.add(file + ": " + from + " imports " + imported + " (" + rule.why() + ")");
        }
      }
    }
    return found;
  }

  /** The parent of the tests module, which is Maven's basedir in its tests. */
  static Path repositoryRoot() {
    Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    Path root = base.resolve("pom.xml").toFile().exists() && Files.isDirectory(base.resolve("dsl")) ? base : base.getParent();
    if (root == null || !Files.isDirectory(root.resolve("dsl"))) {
      throw new UncheckedIOException(new IOException("cannot find the repository root from " + base));
    }
    return root;
  }
}
