package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.unet4j.recipes.data.FilePattern;

/**
 * The images of a batch, from what the command line names: image files, folders, glob patterns
 * ({@code 'plates/**}{@code /*.tif'}) and list files. A list file is any other file (say
 * {@code images.txt}): one image file, folder or pattern per line, relative to the list's folder;
 * blank lines and lines starting with {@code #} are ignored. A listed file that does not exist is
 * kept, so that its row in the results table says so while the other images are predicted.
 */
public final class PredictionInputs {
  private PredictionInputs() {}

  /**
   * Every input image by output name, in the order given, each file once.
   *
   * @param arguments the IMAGES arguments
   * @param base the folder relative arguments resolve against
   * @throws IllegalArgumentException when an argument matches no image, a list file cannot be read,
   *     or two files would get the same output name
   */
  public static List<InputImage> resolve(List<String> arguments, Path base) {
    checkNotNull(arguments, "arguments");
    checkNotNull(base, "base");
    Set<Path> files = new LinkedHashSet<>();
    for (String argument : arguments) {
      Path path = base.resolve(argument);
      if (Files.isRegularFile(path) && !isImage(path)) {
        files.addAll(listed(path));
      } else {
        for (Path f : FilePattern.resolve("IMAGES", argument, base)) {
          files.add(f.toAbsolutePath().normalize());
        }
      }
    }
    Map<String, Path> byName = new LinkedHashMap<>();
    for (Path f : files) {
      String name = FilePattern.stem(f);
      Path before = byName.putIfAbsent(name, f);
      if (before != null) {
        throw new IllegalArgumentException("two inputs are named " + name + " (" + before + " and " + f + "); their"
            + " outputs would overwrite each other, so predict them into different folders");
      }
    }
    List<InputImage> inputs = new ArrayList<>(byName.size());
    byName.forEach((name, file) -> inputs.add(new InputImage(name, file.toString())));
    return inputs;
  }

  private static List<Path> listed(Path list) {
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("IMAGES: cannot read the list file " + list + ": " + e.getMessage(), e);
    }
    Path folder = list.toAbsolutePath().getParent();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Path path = folder.resolve(line);
      if (!hasWildcard(line) && !Files.isDirectory(path)) {
        // Missing or unreadable: the survey reports it in the image's row.
        files.add(path.toAbsolutePath().normalize());
        continue;
      }
      try {
        for (Path f : FilePattern.resolve(list.getFileName() + " line " + (i + 1), line, folder)) {
          files.add(f.toAbsolutePath().normalize());
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("IMAGES: " + e.getMessage(), e);
      }
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("IMAGES: the list file " + list + " names no image (one image file, folder or"
          + " pattern per line)");
    }
    return files;
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && FilePattern.IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  private static boolean hasWildcard(String pattern) {
    return pattern.chars().anyMatch(c -> "*?[{".indexOf(c) >= 0);
  }
}
