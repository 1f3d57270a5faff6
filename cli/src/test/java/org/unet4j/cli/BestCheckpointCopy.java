package org.unet4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A copy of a trained run whose checkpoint of one step is made its best by hand: a copy of
 * {@code checkpoints/ckpt-STEP} named {@code best-STEP}, whose meta.json adds the metric and the
 * score (they lie outside its checksums), as a run with {@code training.selectBy} keeps it.
 */
final class BestCheckpointCopy {
  private BestCheckpointCopy() {}

  /** Copies {@code run} to {@code copy} and makes its checkpoint of {@code step} the best by validation IoU 0.5. */
  static Path of(Path run, Path copy, int step) throws IOException {
    try (Stream<Path> files = Files.walk(run)) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(run.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    String name = String.format("%09d", step);
    Path best = Files.createDirectories(copy.resolve("checkpoints/best-" + name));
    try (Stream<Path> files = Files.list(copy.resolve("checkpoints/ckpt-" + name))) {
      for (Path f : files.toList()) {
        Files.copy(f, best.resolve(f.getFileName().toString()));
      }
    }
    String meta = Files.readString(best.resolve("meta.json"));
    Files.writeString(best.resolve("meta.json"), meta.replaceFirst("\\{", "{\"metric\": \"iou\", \"score\": 0.5,"));
    return copy;
  }
}
