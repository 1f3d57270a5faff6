package org.unet4j.recipes.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.types.TFloat32;
import org.unet4j.layers.CompiledModel;
import org.unet4j.layers.ModelVariable;

/**
 * The checkpoints of a run, in {@code RUN/checkpoints/}. A checkpoint is written into a temporary
 * folder, every file is fsync'ed and checksummed, then the folder is renamed into place: a kill at
 * any moment leaves the previous checkpoint intact, and a checkpoint whose files do not match their
 * checksums is never used. The newest complete folder is the latest checkpoint.
 *
 * <p>A run that selects its model by a validation score also keeps its best checkpoint, in a
 * folder {@code best-NNNNNNNNN} whose {@code meta.json} adds the metric and the score. A better one
 * is written and renamed into place before the previous best is deleted, so one complete best
 * folder exists at every moment; the keep-newest rule prunes {@code ckpt-*} folders only.
 */
public final class Checkpoints {
  static final String META = "meta.json";
  private static final String TEMP_PREFIX = ".tmp-";
  private static final String LATEST = "ckpt-";
  private static final String BEST = "best-";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path directory;
  private final int keep;
  private final BiConsumer<Session, String> writer;

  /** The checkpoints in {@code directory}, keeping the newest {@code keep} when saving. */
  public Checkpoints(Path directory, int keep) {
    this(directory, keep, Session::save);
  }

  /**
   * As {@link #Checkpoints(Path, int)}, with TensorFlow's save ({@code writer(session, prefix)})
   * replaceable, so that tests can make it fail as a full disk does.
   */
  public Checkpoints(Path directory, int keep, BiConsumer<Session, String> writer) {
    this.directory = directory;
    this.keep = keep;
    this.writer = writer;
  }

  public Path directory() {
    return directory;
  }

  /**
   * Saves every variable of the session's graph (model and optimizer slots, whose shapes are
   * {@code shapes}) as step {@code step}. Do not call while other threads run the graph: the first
   * save adds ops to it.
   */
  public Checkpoint save(Session session, Map<String, long[]> shapes, long step, double loss) {
    return commit(prepare(session, shapes, step, loss));
  }

  /** A checkpoint written into its temporary folder, not yet renamed into place. */
  public record Pending(Path temp, Checkpoint checkpoint) {}

  /**
   * The first half of {@link #save}: writes and checksums every file in a temporary folder, which
   * readers ignore until {@link #commit} renames it. The trainer commits only once the weights have
   * given a finite loss on the next step.
   */
  public Pending prepare(Session session, Map<String, long[]> shapes, long step, double loss) {
    return prepare(session, shapes, step, loss, LATEST, meta -> { });
  }

  /**
   * Saves the session's variables as the run's best checkpoint of step {@code step}, whose
   * {@code metric} (named as in the recipe) scored {@code score}, and then deletes the previous
   * best.
   */
  public BestCheckpoint saveBest(Session session, Map<String, long[]> shapes, long step, double loss, String metric,
      double score) {
    Pending pending = prepare(session, shapes, step, loss, BEST, meta -> {
      meta.put("metric", metric);
      meta.put("score", score);
    });
    Path target = pending.checkpoint().directory();
    putInPlace(pending, "the best checkpoint", () -> {
      for (Path older : folders(BEST)) {
        if (!older.equals(target)) {
          MoreFiles.deleteRecursively(older, RecursiveDeleteOption.ALLOW_INSECURE);
        }
      }
    });
    return new BestCheckpoint(pending.checkpoint(), metric, score);
  }

  /**
   * The run's best checkpoint, when it keeps one: the newest complete {@code best-*} folder that
   * verifies; one that does not is skipped with the reason in {@code skipped}.
   */
  public Optional<BestCheckpoint> best(List<String> skipped) {
    for (Path candidate : folders(BEST)) {
      try {
        Checkpoint checkpoint = read(candidate);
        JsonNode meta = JSON.readTree(candidate.resolve(META).toFile());
        if (!meta.has("metric") || !meta.has("score")) {
          throw new CheckpointException("best checkpoint " + candidate + ": " + META + " lacks the metric or the"
              + " score; the checkpoint is damaged");
        }
        return Optional.of(new BestCheckpoint(checkpoint, meta.get("metric").asText(), meta.get("score").asDouble()));
      } catch (CheckpointException e) {
        skipped.add(e.getMessage());
      } catch (IOException e) {
        skipped.add("best checkpoint " + candidate + ": cannot read " + META + " (" + e.getMessage() + ")");
      }
    }
    return Optional.empty();
  }

  private Pending prepare(Session session, Map<String, long[]> shapes, long step, double loss, String prefix,
      Consumer<ObjectNode> extra) {
    String name = String.format("%s%09d", prefix, step);
    Path temp = directory.resolve(TEMP_PREFIX + name);
    try {
      Files.createDirectories(directory);
      if (Files.exists(temp)) {
        MoreFiles.deleteRecursively(temp, RecursiveDeleteOption.ALLOW_INSECURE);
      }
      Files.createDirectories(temp);
      writer.accept(session, temp.resolve(Checkpoint.PREFIX).toString());
      ObjectNode meta = JSON.createObjectNode();
      meta.put("step", step);
      meta.put("loss", loss);
      extra.accept(meta);
      ObjectNode variables = meta.putObject("variables");
      shapes.forEach((path, shape) -> {
        var array = variables.putArray(path);
        for (long d : shape) {
          array.add(d);
        }
      });
      ObjectNode sums = meta.putObject("sha256");
      try (Stream<Path> files = Files.list(temp)) {
        for (Path f : files.sorted().toList()) {
          sums.put(f.getFileName().toString(), sha256(f));
          fsync(f);
        }
      }
      Path metaFile = temp.resolve(META);
      Files.writeString(metaFile, JSON.writeValueAsString(meta), StandardCharsets.UTF_8);
      fsync(metaFile);
      fsync(temp);
      return new Pending(temp, new Checkpoint(directory.resolve(name), step, loss, shapes));
    } catch (IOException | TensorFlowException e) {
      discard(temp);
      throw new RunWriteException(temp, "cannot write the checkpoint of step " + step + " into " + temp + ": "
          + describe(e) + freeSpace() + "; the earlier checkpoints in " + directory + " are intact", e);
    }
  }

  /** The second half of {@link #save}: renames the folder into place and keeps the newest ones. */
  public Checkpoint commit(Pending pending) {
    putInPlace(pending, "the checkpoint", this::prune);
    return pending.checkpoint();
  }

  /**
   * Renames a prepared folder into place, then runs {@code cleanUp} (which removes what the new
   * folder replaces); a failure leaves the earlier folders as they were.
   */
  private void putInPlace(Pending pending, String what, CleanUp cleanUp) {
    Path target = pending.checkpoint().directory();
    try {
      if (Files.exists(target)) {
        MoreFiles.deleteRecursively(target, RecursiveDeleteOption.ALLOW_INSECURE);
      }
      move(pending.temp(), target);
      fsync(directory);
      cleanUp.run();
    } catch (IOException e) {
      discard(pending.temp());
      throw new RunWriteException(target, "cannot put " + what + " of step " + pending.checkpoint().step()
          + " in place as " + target + ": " + describe(e) + freeSpace() + "; the earlier checkpoints in " + directory
          + " are intact", e);
    }
  }

  /** Work after a rename that may fail as file operations do. */
  private interface CleanUp {
    void run() throws IOException;
  }

  /** Removes a prepared checkpoint that will not be committed; best effort, readers ignore it. */
  public void discard(Pending pending) {
    discard(pending.temp());
  }

  private static void discard(Path temp) {
    try {
      if (Files.exists(temp)) {
        MoreFiles.deleteRecursively(temp, RecursiveDeleteOption.ALLOW_INSECURE);
      }
    } catch (IOException ignored) {
      // Readers ignore temporary folders and the next save removes them; freeing room is a bonus.
    }
  }

  /** What went wrong in words, without TensorFlow's multi-line hints. */
  private static String describe(Exception e) {
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").strip();
    if (e instanceof org.tensorflow.exceptions.TFResourceExhaustedException) {
      return "TensorFlow ran out of room writing it (" + message + ")";
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason() + " (" + fs.getFile() + ")";
    }
    return message.isEmpty() ? e.getClass().getSimpleName() : message;
  }

  /** The usable space where the checkpoints go, when it can be read: a full disk shows here. */
  private String freeSpace() {
    try {
      long bytes = Files.getFileStore(Files.exists(directory) ? directory : directory.getParent()).getUsableSpace();
      return String.format(java.util.Locale.ROOT, " (%.1f MB free on its disk)", bytes / 1e6);
    } catch (IOException | RuntimeException unknown) {
      return "";
    }
  }

  /**
   * The newest complete checkpoint whose files match their checksums. A newer one that does not
   * verify (a disk error, a hand edit) is skipped with the reason in {@code skipped}.
   */
  public Optional<Checkpoint> latest(List<String> skipped) {
    for (Path candidate : folders(LATEST)) {
      try {
        return Optional.of(read(candidate));
      } catch (CheckpointException e) {
        skipped.add(e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Reads and verifies one checkpoint folder. */
  public static Checkpoint read(Path folder) {
    Path metaFile = folder.resolve(META);
    if (!Files.isRegularFile(metaFile)) {
      throw new CheckpointException("checkpoint " + folder + " has no " + META + "; it is incomplete");
    }
    try {
      JsonNode meta = JSON.readTree(metaFile.toFile());
      for (String field : List.of("step", "loss", "variables", "sha256")) {
        if (meta == null || !meta.has(field)) {
          throw new CheckpointException("checkpoint " + folder + ": " + metaFile.getFileName() + " lacks the field \""
              + field + "\"; the checkpoint is damaged");
        }
      }
      for (Map.Entry<String, JsonNode> e : meta.get("sha256").properties()) {
        Path file = folder.resolve(e.getKey());
        if (!Files.isRegularFile(file)) {
          throw new CheckpointException("checkpoint " + folder + " lacks " + e.getKey());
        }
        String actual = sha256(file);
        if (!actual.equals(e.getValue().asText())) {
          throw new CheckpointException("checkpoint " + folder + ": " + e.getKey() + " does not match its checksum"
              + " (the file is damaged)");
        }
      }
      Map<String, long[]> variables = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : meta.get("variables").properties()) {
        long[] shape = new long[e.getValue().size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = e.getValue().get(i).asLong();
        }
        variables.put(e.getKey(), shape);
      }
      return new Checkpoint(folder, meta.get("step").asLong(), meta.get("loss").asDouble(), variables);
    } catch (JsonProcessingException e) {
      // Jackson's own message spans several lines and quotes the source; one line says enough.
      String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw new CheckpointException("checkpoint " + folder + ": " + metaFile + " is not valid JSON" + at + " ("
          + e.getOriginalMessage().lines().findFirst().orElse("").strip() + "); the checkpoint is damaged", e);
    } catch (IOException e) {
      throw new CheckpointException("checkpoint " + folder + ": cannot read " + metaFile + " (" + e.getMessage() + ")",
          e);
    }
  }

  /**
   * Restores a checkpoint into a session of {@code model}'s graph, after checking that every
   * variable of the model is in the checkpoint with the same shape; a mismatch names the
   * parameter and both shapes. Variables the model lacks (optimizer slots when predicting) are
   * ignored.
   */
  public static void restore(Session session, CompiledModel model, Checkpoint checkpoint) {
    restore(session, shapes(model), checkpoint);
  }

  /** {@link #restore(Session, CompiledModel, Checkpoint)} for a graph with the given variables. */
  public static void restore(Session session, Map<String, long[]> expected, Checkpoint checkpoint) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      long[] saved = checkpoint.variables().get(e.getKey());
      if (saved == null) {
        problems.add(e.getKey() + " " + Arrays.toString(e.getValue()) + " is not in the checkpoint");
      } else if (!Arrays.equals(saved, e.getValue())) {
        problems.add(e.getKey() + " is " + Arrays.toString(saved) + " in the checkpoint but "
            + Arrays.toString(e.getValue()) + " in the model");
      }
    }
    if (!problems.isEmpty()) {
      throw new CheckpointException("checkpoint " + checkpoint.directory() + " does not fit this model: "
          + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
          + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    }
    session.restore(checkpoint.prefix());
    checkFinite(session, expected.keySet(), checkpoint);
  }

  /**
   * Refuses a checkpoint holding a NaN or infinite weight: every output of such a model is NaN, and
   * predicting with it would pass an empty result off as success. The trainer never writes one;
   * this guards checkpoints from older versions and damaged files whose checksum was rewritten.
   */
  private static void checkFinite(Session session, Iterable<String> variables, Checkpoint checkpoint) {
    float[] chunk = new float[1 << 16];
    for (String name : variables) {
      try (Result result = session.runner().fetch(name).run()) {
        Tensor value = result.get(0);
        if (!(value instanceof TFloat32)) {
          continue;
        }
        FloatDataBuffer data = value.asRawTensor().data().asFloats();
        for (long offset = 0; offset < data.size(); offset += chunk.length) {
          int n = (int) Math.min(chunk.length, data.size() - offset);
          data.slice(offset, n).read(chunk, 0, n);
          for (int i = 0; i < n; i++) {
            if (!Float.isFinite(chunk[i])) {
              throw new CheckpointException("checkpoint " + checkpoint.directory() + " cannot be used: " + name
                  + " holds " + chunk[i] + " at element " + (offset + i) + ", so the model's output would not be"
                  + " finite (the training it came from had diverged)");
            }
          }
        }
      }
    }
  }

  /** Every variable of the model, by path, with its shape. */
  public static Map<String, long[]> shapes(CompiledModel model) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (ModelVariable v : model.variables()) {
      shapes.put(v.path(), v.shape().asArray());
    }
    return shapes;
  }

  /** Complete checkpoint folders whose names start with {@code prefix}, newest first. */
  private List<Path> folders(String prefix) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    List<Path> folders = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, prefix + "*")) {
      entries.forEach(p -> {
        if (Files.isDirectory(p)) {
          folders.add(p);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    folders.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
    return folders;
  }

  /** Removes temporary folders of interrupted saves and all but the newest {@code keep} checkpoints. */
  private void prune() throws IOException {
    List<Path> folders = folders(LATEST);
    for (Path old : folders.subList(Math.min(keep, folders.size()), folders.size())) {
      MoreFiles.deleteRecursively(old, RecursiveDeleteOption.ALLOW_INSECURE);
    }
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
          .collect(Collectors.toList())) {
        MoreFiles.deleteRecursively(p, RecursiveDeleteOption.ALLOW_INSECURE);
      }
    }
  }

  public static void writeAtomically(Path file, String text) throws IOException {
    Path temp = file.resolveSibling(TEMP_PREFIX + file.getFileName());
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    fsync(temp);
    move(temp, file);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void fsync(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException directoriesCannotBeSynced) {
        // Some file systems refuse to open directories; the rename is still atomic there.
      }
      return;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static String sha256(Path file) throws IOException {
    return MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
  }
}
