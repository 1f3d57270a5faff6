package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.FilePattern;

/**
 * The images a prediction into a folder takes, by output name, chosen so that no output replaces
 * an input.
 *
 * <p>A file named as a prediction's output ({@code NAME_prob.tif}, {@code NAME_labels.tif},
 * {@code NAME_overlay.png}, {@code NAME_overlay_pNNN.png}) of another input {@code NAME} is an
 * earlier prediction of that input (a rerun into the input folder finds them), not an image to
 * predict: it is skipped, and {@link #skipped()} says so, since its file is one that predicting
 * {@code NAME} writes. Any other input whose path an output would take is refused.
 *
 * @param inputs the files to predict by output name, in the order given
 * @param skipped one line per skipped file: the file and why
 */
public record PredictionInputs(Map<String, Path> inputs, List<String> skipped) {
  private static final Pattern OUTPUT = Pattern.compile("(.+)_(?:prob\\.tif|labels\\.tif|overlay(?:_p\\d{3,})?\\.png)");

  public PredictionInputs {
    inputs = ImmutableMap.copyOf(inputs);
    skipped = ImmutableList.copyOf(skipped);
  }

  /**
   * The inputs that {@code arguments} name, for outputs written into {@code out}: image files,
   * folders, glob patterns ({@code 'plates/**}{@code /*.tif'}) and list files. A list file is any
   * other file (say {@code images.txt}): one image file, folder or pattern per line, relative to the
   * list's folder; blank lines and lines starting with {@code #} are ignored. A listed file that does
   * not exist is kept, so that a batch can report it while the other images are predicted.
   *
   * @param label what the arguments are called in messages, e.g. {@code IMAGES}
   * @param base the folder relative arguments resolve against
   * @throws DataException when an argument matches no image, a list file cannot be read
   *     or names none, or the inputs break the rules of {@link #of}
   */
  public static PredictionInputs resolve(String label, List<String> arguments, Path base, Path out) {
    checkNotNull(arguments, "arguments");
    checkNotNull(base, "base");
    List<Path> files = new ArrayList<>();
    for (String argument : arguments) {
      Path path = base.resolve(argument);
      if (Files.isRegularFile(path) && !isImage(path)) {
        files.addAll(listed(label, path));
      } else {
        files.addAll(FilePattern.resolve(label, argument, base));
      }
    }
    return of(files, out);
  }

  private static List<Path> listed(String label, Path list) {
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DataException(label + ": cannot read the list file " + list + ": " + e.getMessage(), e);
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
        // Missing or unreadable: whoever predicts it reports it.
        files.add(path.toAbsolutePath().normalize());
        continue;
      }
      try {
        files.addAll(FilePattern.resolve(list.getFileName() + " line " + (i + 1), line, folder));
      } catch (DataException e) {
        throw new DataException(label + ": " + e.getMessage(), e);
      }
    }
    if (files.isEmpty()) {
      throw new DataException(label + ": the list file " + list + " names no image (one image file,"
          + " folder or pattern per line)");
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

  /**
   * The inputs among {@code files} for outputs written into {@code out}.
   *
   * @throws DataException when two inputs have the same name (their outputs would
   *     overwrite each other) or an output would replace an input (a file system that ignores case
   *     can name one file {@code A_prob.tif} and {@code a_prob.tif})
   */
  public static PredictionInputs of(List<Path> files, Path out) {
    checkNotNull(out, "out");
    Set<Path> distinct = new LinkedHashSet<>();
    for (Path f : files) {
      distinct.add(f.toAbsolutePath().normalize());
    }
    Set<String> stems = new LinkedHashSet<>();
    for (Path f : distinct) {
      stems.add(FilePattern.stem(f));
    }
    Map<String, Path> byName = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (Path f : distinct) {
      Optional<String> of = outputOf(f);
      if (of.isPresent() && stems.contains(of.get())) {
        skipped.add(f + ": named as predict's output for the input " + of.get() + ", so not predicted");
        continue;
      }
      String name = FilePattern.stem(f);
      Path before = byName.putIfAbsent(name, f);
      if (before != null) {
        throw new DataException("two inputs are named " + name + " (" + before + " and " + f + "); their"
            + " outputs would overwrite each other in " + out + ", so predict them into different folders");
      }
    }
    // A skipped file's input has a shorter name and is kept, so at least one input is left.
    Path folder = out.toAbsolutePath().normalize();
    for (Map.Entry<String, Path> input : byName.entrySet()) {
      PredictionFiles outputs = PredictionFiles.of(folder, input.getKey(), 1);
      for (Path output : List.of(outputs.probabilities(), outputs.labels(), outputs.overlays().get(0))) {
        for (Path other : byName.values()) {
          if (sameFile(output, other)) {
            throw new DataException(other + " is an input, but predicting " + input.getValue() + " into "
                + out + " would replace it with " + output.getFileName() + "; predict into another folder");
          }
        }
      }
    }
    return new PredictionInputs(byName, skipped);
  }

  /** The input name whose prediction writes a file named as {@code file}, if its name is one. */
  public static Optional<String> outputOf(Path file) {
    Matcher m = OUTPUT.matcher(file.getFileName().toString());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static boolean sameFile(Path a, Path b) {
    if (a.equals(b)) {
      return true;
    }
    try {
      // Case-insensitive file systems name one file in several ways.
      return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
