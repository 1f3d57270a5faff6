package org.unet4j.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.io.MoreFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;
import org.unet4j.dsl.recipe.Recipe;
import org.unet4j.dsl.recipe.Recipes;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelCompiler;
import org.unet4j.layers.ModelVariable;
import org.unet4j.recipes.data.SyntheticTiles;
import org.unet4j.recipes.model.Checkpoint;
import org.unet4j.recipes.model.CheckpointException;
import org.unet4j.recipes.model.Checkpoints;
import org.unet4j.recipes.model.ExportedModel;
import org.unet4j.recipes.model.ModelExport;
import org.unet4j.recipes.model.ModelInfo;
import org.unet4j.recipes.model.RunDirectory;

class ModelExportTest {
  /** Depth 2, 4 base filters, no batch norm: trained with Adam, so its checkpoints hold two slots per weight. */
  private static final Recipe PLAIN = TinyRecipes.tinyAdam(10, 5);
  /** The same with batch norm (moving averages that training moved) and dropout (which must be off). */
  private static final Recipe NORMALIZED = TinyRecipes.with(PLAIN, "model.contracting[1].normalization=batch",
      "model.bottleneck.normalization=batch", "model.bottleneck.dropout=0.5");

  @TempDir static Path runs;
  @TempDir Path dir;

  @BeforeAll
  static void train() {
    for (Recipe r : new Recipe[] {PLAIN, NORMALIZED}) {
      Trainer.of(r, run(r), new SyntheticTiles(r.model(), r.training().tile(), r.training().batchSize(),
          r.training().seed())).train();
    }
  }

  private static Path run(Recipe r) {
    return runs.resolve(r == PLAIN ? "plain" : "normalized");
  }

  /**
   * Valid tiles of the tiny net, derived by hand: every convolution takes 2 px, every pooled map
   * must be even and the bottleneck must leave the up path at least 1 px, so n = 4k with n >= 44:
   * 44 -> 4 (the smallest), 60 -> 20 (the training tile), 76 -> 36.
   */
  static Stream<Arguments> tiles() {
    return Stream.of(Arguments.of("plain", 60, 20), Arguments.of("plain", 44, 4), Arguments.of("plain", 76, 36),
        Arguments.of("normalized", 60, 20), Arguments.of("normalized", 76, 36));
  }

  @ParameterizedTest(name = "{0} net at tile {1}")
  @MethodSource("tiles")
  void exportedModelComputesWhatTheRestoredModelComputes(String net, int tile, int output) {
    Recipe recipe = net.equals("plain") ? PLAIN : NORMALIZED;
    Path out = dir.resolve("export");
    ModelExport.Exported exported = ModelExport.export(run(recipe), out, OptionalInt.of(tile));
    assertEquals(10, exported.info().step());
    assertEquals(output, exported.info().outputSize());
    assertTrue(exported.skipped().isEmpty(), exported.skipped().toString());

    int batch = 2;
    float[] images = randomImages(batch, tile, 17);
    Checkpoint checkpoint = new RunDirectory(run(recipe)).checkpoints().latest(new ArrayList<>()).orElseThrow();
    float[] expected = restoredProbabilities(recipe, checkpoint, tile, images, batch);
    assertEquals(batch * output * output * 2, expected.length);

    float[] viaBundle;
    try (SavedModelBundle bundle = SavedModelBundle.load(out.toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(batch, tile, tile, 1), DataBuffers.of(images, true, false));
        Result result = bundle.function("serving_default").call(Map.of("image", input))) {
      TFloat32 p = (TFloat32) result.get("probabilities").orElseThrow();
      assertEquals(Shape.of(batch, output, output, 2), p.shape());
      assertEquals(Shape.of(batch, output, output, 2), result.get("logits").orElseThrow().shape());
      viaBundle = read(p);
    }
    assertMaxDiff(expected, viaBundle, 1e-6, "SavedModelBundle");

    try (ExportedModel model = ExportedModel.load(out, 1)) {
      assertEquals(exported.info(), model.info());
      assertMaxDiff(expected, model.predict(images, batch), 1e-6, "ExportedModel.predict");
    }
    // The soft-max of every pixel sums to 1: a check that does not depend on either graph.
    for (int p = 0; p < viaBundle.length; p += 2) {
      assertEquals(1.0, viaBundle[p] + viaBundle[p + 1], 1e-6);
    }
  }

  @Test
  void exportFolderHoldsTheSavedModelTheRecipeAndTheModelDescription() throws IOException {
    Path out = dir.resolve("models/tiny");
    ModelExport.Exported exported = ModelExport.export(run(PLAIN), out, OptionalInt.empty());
    assertEquals(out.toAbsolutePath(), exported.directory());
    assertEquals(Set.of("recipe.json", "saved_model.pb", "unet4j-model.json", "variables",
        "variables/variables.data-00000-of-00001", "variables/variables.index"), relativeFiles(out));
    assertEquals(List.of("tiny"), listNames(dir.resolve("models")), "no temporary folder is left beside it");
    assertEquals(Files.readString(run(PLAIN).resolve("recipe.json")), Files.readString(out.resolve("recipe.json")),
        "the training tile is the inference tile here, so the recipe is the run's");
    assertEquals(ModelExport.sizeOnDisk(out), exported.bytes());

    ModelInfo info = ModelInfo.fromJson(Files.readString(out.resolve("unet4j-model.json")));
    assertEquals(exported.info(), info);
    // 60 -> 58 -> 56 | 28 -> 26 -> 24 | 12 -> 10 -> 8 | up 16 -> 14 -> 12 | up 24 -> 22 -> 20.
    assertEquals(60, info.tile());
    assertEquals(20, info.outputSize());
    assertEquals(20, info.margin());
    assertEquals(1, info.outputStride());
    assertEquals(2, info.classes());
    assertEquals(1, info.inputChannels());
    assertEquals(10, info.step());
    assertEquals("tiny", info.recipe());
    assertEquals(run(PLAIN).resolve("checkpoints/ckpt-000000010").toAbsolutePath().toString(), info.checkpoint());
    String json = Files.readString(out.resolve("unet4j-model.json"));
    assertTrue(json.startsWith("{\n  \"format\": \"unet4j-model\",\n  \"formatVersion\": 1,"), json);
  }

  @Test
  void exportHoldsTheModelVariablesAndNoOptimizerState() throws IOException {
    Path out = dir.resolve("export");
    ModelExport.export(run(PLAIN), out, OptionalInt.empty());
    Set<String> variables = new TreeSet<>();
    try (SavedModelBundle bundle = SavedModelBundle.load(out.toString(), "serve")) {
      for (NodeDef node : bundle.metaGraphDef().getGraphDef().getNodeList()) {
        assertFalse(node.getName().startsWith("optimizer/"), node.getName());
        assertFalse(Set.of("train", "loss", "labels", "weights", "learning_rate").contains(node.getName()),
            node.getName());
        if (node.getOp().equals("VariableV2")) {
          variables.add(node.getName());
        }
      }
    }
    try (CompiledModel model = ModelCompiler.compile(PLAIN.model(), 60, 1)) {
      assertEquals(model.variables().stream().map(ModelVariable::path).collect(Collectors.toCollection(TreeSet::new)),
          variables);
    }
    // The checkpoint's index names the Adam slots; the export's does not.
    Path checkpoint = run(PLAIN).resolve("checkpoints/ckpt-000000010");
    assertTrue(contains(checkpoint.resolve("model.index"), "optimizer/"), "the checkpoint holds the slots");
    assertFalse(contains(out.resolve("variables/variables.index"), "optimizer/"));
    // Depth 2 from 4 filters, by hand (3x3 convs, 2x2 up-convs, 1x1 head to 2 classes, with biases):
    // 40 + 148 + 296 + 584 + 1168 + 2320 + 520 + 1160 + 584 + 132 + 292 + 148 + 10 = 7402 floats.
    assertEquals(7402L * Float.BYTES, Files.size(out.resolve("variables/variables.data-00000-of-00001")));
  }

  @Test
  void aCheckpointFolderExportsThatCheckpoint() {
    Path checkpointFolder = run(PLAIN).resolve("checkpoints/ckpt-000000005");
    Path out = dir.resolve("export");
    ModelExport.Exported exported = ModelExport.export(checkpointFolder, out, OptionalInt.empty());
    assertEquals(5, exported.info().step());
    assertEquals(checkpointFolder.toAbsolutePath().toString(), exported.info().checkpoint());
    float[] images = randomImages(1, 60, 3);
    float[] step5 = restoredProbabilities(PLAIN, Checkpoints.read(checkpointFolder), 60, images, 1);
    float[] step10 = restoredProbabilities(PLAIN, Checkpoints.read(run(PLAIN).resolve("checkpoints/ckpt-000000010")),
        60, images, 1);
    try (ExportedModel model = ExportedModel.load(out)) {
      float[] exportedProbabilities = model.predict(images, 1);
      assertMaxDiff(step5, exportedProbabilities, 1e-6, "checkpoint of step 5");
      assertTrue(maxDiff(step10, exportedProbabilities) > 1e-4, "the step-10 weights differ");
    }
  }

  @Test
  void anotherTileIsRecordedInTheExportedRecipe() throws IOException {
    Path out = dir.resolve("export");
    ModelExport.export(run(PLAIN), out, OptionalInt.of(76));
    Recipe exported = Recipes.load(out.resolve("recipe.json").toString());
    assertEquals(76, exported.inference().tile());
    assertEquals(PLAIN.model(), exported.model());
    assertEquals(60, exported.training().tile());
  }

  @Test
  void invalidTileIsRefusedWithTheNearestValidOnesAndWritesNothing() {
    Path out = dir.resolve("export");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelExport.export(run(PLAIN), out, OptionalInt.of(62)));
    assertTrue(e.getMessage().startsWith("tile 62 does not fit tiny: "), e.getMessage());
    assertTrue(e.getMessage().contains("valid near it: 60, 64"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void nonEmptyOutputFolderIsNotOverwrittenButAnEmptyOneIsUsed() throws IOException {
    Path out = Files.createDirectories(dir.resolve("export"));
    Files.writeString(out.resolve("notes.txt"), "mine", StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelExport.export(run(PLAIN), out, OptionalInt.empty()));
    assertTrue(e.getMessage().contains("already exists and is not empty"), e.getMessage());
    assertEquals(List.of("notes.txt"), listNames(out));
    assertEquals(List.of("export"), listNames(dir));

    Path empty = Files.createDirectories(dir.resolve("empty"));
    ModelExport.export(run(PLAIN), empty, OptionalInt.empty());
    assertTrue(Files.isRegularFile(empty.resolve("saved_model.pb")));
  }

  @Test
  void failedExportLeavesNothingBehind() throws IOException {
    // A run whose recipe.json was edited after training: the restore finds the wrong shapes after the
    // export folder was started.
    Path edited = dir.resolve("edited");
    Files.createDirectories(edited.resolve("checkpoints"));
    copyFolder(run(PLAIN).resolve("checkpoints/ckpt-000000010"), edited.resolve("checkpoints/ckpt-000000010"));
    Files.writeString(edited.resolve("recipe.json"),
        Recipes.toJson(TinyRecipes.with(PLAIN, "model.contracting[0].filters=8")), StandardCharsets.UTF_8);
    Path parent = Files.createDirectories(dir.resolve("exports"));
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> ModelExport.export(edited, parent.resolve("tiny"), OptionalInt.empty()));
    assertTrue(e.getMessage().contains("contracting/0/conv1/kernel is [3, 3, 1, 4] in the checkpoint but "
        + "[3, 3, 1, 8] in the model"), e.getMessage());
    assertEquals(List.of(), listNames(parent));
  }

  @Test
  void damagedNewestCheckpointIsSkippedAndReported() throws IOException {
    Path copy = dir.resolve("run");
    copyFolder(run(PLAIN), copy);
    Path data = copy.resolve("checkpoints/ckpt-000000010/model.data-00000-of-00001");
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(data, bytes);
    ModelExport.Exported exported = ModelExport.export(copy, dir.resolve("export"), OptionalInt.empty());
    assertEquals(5, exported.info().step());
    assertEquals(1, exported.skipped().size());
    assertTrue(exported.skipped().get(0).contains("ckpt-000000010") && exported.skipped().get(0)
        .contains("does not match its checksum"), exported.skipped().get(0));

    CheckpointException direct = assertThrows(CheckpointException.class,
        () -> ModelExport.export(copy.resolve("checkpoints/ckpt-000000010"), dir.resolve("again"),
            OptionalInt.empty()));
    assertTrue(direct.getMessage().contains("does not match its checksum"), direct.getMessage());
  }

  @Test
  void loaderRefusesFoldersThatAreNotExportsAndInputsOfTheWrongSize() throws IOException {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ExportedModel.load(run(PLAIN)));
    assertTrue(none.getMessage().contains("is not a unet4j model export: it has no saved_model.pb"),
        none.getMessage());
    Path out = dir.resolve("export");
    ModelExport.export(run(PLAIN), out, OptionalInt.empty());
    try (ExportedModel model = ExportedModel.load(out)) {
      assertEquals(PLAIN, model.recipe());
      IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
          () -> model.predict(new float[60 * 60 + 1], 1));
      assertEquals("expected 3600 floats for 1 tile(s) of 60x60x1, got 3601 floats", wrong.getMessage());
    }
    Files.writeString(out.resolve("unet4j-model.json"), Files.readString(out.resolve("unet4j-model.json"))
        .replace("\"formatVersion\": 1", "\"formatVersion\": 7"));
    IllegalArgumentException newer = assertThrows(IllegalArgumentException.class, () -> ExportedModel.load(out));
    assertTrue(newer.getMessage().contains("formatVersion: this export has format version 7"), newer.getMessage());
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The reference: the model compiled in this process at {@code tile} with the checkpoint restored. */
  private static float[] restoredProbabilities(Recipe recipe, Checkpoint checkpoint, int tile, float[] images,
      int batch) {
    try (CompiledModel model = ModelCompiler.compile(recipe.model(), tile, 99);
        Session session = new Session(model.graph())) {
      Checkpoints.restore(session, model, checkpoint);
      try (TFloat32 input = TFloat32.tensorOf(Shape.of(batch, tile, tile, 1), DataBuffers.of(images, true, false));
          Result result = session.runner().feed(model.input(), input).fetch(model.probabilities()).run()) {
        return read((TFloat32) result.get(0));
      }
    }
  }

  private static float[] randomImages(int batch, int tile, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] images = new float[batch * tile * tile];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) (0.5 + 0.3 * random.nextGaussian());
    }
    return images;
  }

  private static float[] read(TFloat32 t) {
    float[] values = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(values);
    return values;
  }

  private static double maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static void assertMaxDiff(float[] expected, float[] actual, double tolerance, String what) {
    double diff = maxDiff(expected, actual);
    assertTrue(diff <= tolerance, what + ": max abs difference " + diff);
  }

  private static Set<String> relativeFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString().replace('\\', '/'))
          .collect(Collectors.toSet());
    }
  }

  private static List<String> listNames(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static boolean contains(Path file, String text) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(text);
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          MoreFiles.asByteSource(p).copyTo(MoreFiles.asByteSink(target));
        }
      }
    }
  }
}
