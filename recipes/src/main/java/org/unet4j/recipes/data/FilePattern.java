package org.unet4j.recipes.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder or a glob pattern of image files, as written in a recipe's data spec
 * ({@code data/train/images}, {@code data/train/*.tif}, {@code stacks/**}{@code /*.tiff}).
 * Relative patterns resolve against a base folder.
 */
public final class FilePattern {
  /** The file extensions read as images. */
  public static final Set<String> IMAGE_EXTENSIONS = Set.of("tif", "tiff", "png");

  private FilePattern() {}

  /** The image files the pattern names, sorted by path; an error names what matched nothing. */
  public static List<Path> resolve(String field, String pattern, Path base) {
    if (pattern.isBlank()) {
      throw new DataException(field + ": empty; the recipe names no files here. Set it to a folder or a"
          + " glob such as data/train/images or data/train/*.tif");
    }
    int wildcard = firstWildcard(pattern);
    Path resolved = base.resolve(wildcard < 0 ? pattern : pattern.substring(0, Math.max(0,
        pattern.lastIndexOf('/', wildcard) + 1)));
    List<Path> files;
    if (wildcard < 0) {
      if (Files.isRegularFile(resolved)) {
        return List.of(resolved);
      }
      if (!Files.isDirectory(resolved)) {
        throw new DataException(field + ": \"" + pattern + "\" does not exist (looked for " + resolved
            + ")");
      }
      files = list(resolved, 1, p -> true);
    } else {
      if (!Files.isDirectory(resolved)) {
        throw new DataException(field + ": the folder of \"" + pattern + "\" does not exist (looked for "
            + resolved + ")");
      }
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(
          pattern.lastIndexOf('/', wildcard) + 1));
      files = list(resolved, Integer.MAX_VALUE, p -> matcher.matches(resolved.relativize(p)));
    }
    files = files.stream().filter(FilePattern::isImage).sorted().toList();
    if (files.isEmpty()) {
      throw new DataException(field + ": \"" + pattern + "\" matches no image file (." + String.join(", .",
          IMAGE_EXTENSIONS.stream().sorted().toList()) + ") in " + resolved);
    }
    return files;
  }

  /** The file name without its extension: the key that pairs an image with its labels. */
  public static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static int firstWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      if ("*?[{".indexOf(pattern.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static List<Path> list(Path folder, int depth, java.util.function.Predicate<Path> keep) {
    try (Stream<Path> walk = Files.walk(folder, depth)) {
      return walk.filter(Files::isRegularFile).filter(keep).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }
}
