package org.unet4j.dsl.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.json.JsonNames;
import org.unet4j.dsl.json.JsonSchemaWriter;
import org.unet4j.dsl.json.RecipeFormat;
import org.unet4j.dsl.json.SpecJson;

/**
 * Reads, writes and finds recipes. {@code fromJson(toJson(r)).equals(r)} for every recipe, and
 * the text is stable: fields in declaration order, every default written, two-space indent.
 */
public final class Recipes {
  /** Classpath folder of the bundled recipes; {@code index.txt} there lists their names. */
  public static final String BUNDLED_ROOT = "unet4j/recipes/";

  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z][A-Za-z0-9]*)((?:\\[\\d+])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

  private Recipes() {}

  /** The recipe as versioned, stable JSON text. */
  public static String toJson(Recipe recipe) {
    return SpecJson.write(toTree(recipe));
  }

  /** The recipe as a JSON tree, envelope included. */
  public static ObjectNode toTree(Recipe recipe) {
    return RecipeFormat.wrap((ObjectNode) SpecJson.toTree(recipe));
  }

  /** Reads a recipe; every problem is a {@link SpecException} naming its JSON path. */
  public static Recipe fromJson(String json) {
    return fromTree(SpecJson.parse(json));
  }

  /** Reads a recipe from a parsed tree. */
  public static Recipe fromTree(JsonNode root) {
    return SpecJson.read(Recipe.class, RecipeFormat.unwrap(root), "");
  }

  /**
   * A bundled recipe by name ({@code paper/isbi2012}) or a {@code .json} file by path. Problems
   * with a file's content name the JSON path; a name that is neither lists the bundled ones.
   */
  public static Recipe load(String nameOrPath) {
    Path file = Path.of(nameOrPath);
    if (Files.isRegularFile(file)) {
      return fromJson(readFile(file));
    }
    if (nameOrPath.endsWith(".json")) {
      throw new SpecException("", "recipe file " + nameOrPath + " does not exist");
    }
    String resource = BUNDLED_ROOT + nameOrPath + ".json";
    try (InputStream in = Recipes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        List<String> names = bundled();
        String guess = JsonNames.closest(nameOrPath, names);
        throw new SpecException("", "no recipe file or bundled recipe named \"" + nameOrPath + "\""
            + (guess != null ? "; did you mean \"" + guess + "\"?" : ".")
            + " Bundled recipes: " + (names.isEmpty() ? "none on the classpath" : String.join(", ", names))
            + "; or give the path of a .json file");
      }
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The folder that relative data paths of {@link #load load(nameOrPath)} resolve against. A recipe
   * file's relative paths resolve against the file's own folder, so a recipe moves together with
   * its data; a bundled recipe's against the working directory, where the user keeps the data it
   * names ({@code data/isbi2012/} in the folder unet4j runs from), since an installation is no
   * place for downloaded data.
   */
  public static Path dataBase(String nameOrPath) {
    Path file = Path.of(nameOrPath);
    if (Files.isRegularFile(file)) {
      return file.toAbsolutePath().normalize().getParent();
    }
    return Path.of("").toAbsolutePath();
  }

  /** The names of the recipes bundled on the classpath. */
  public static List<String> bundled() {
    try (InputStream in = Recipes.class.getClassLoader().getResourceAsStream(BUNDLED_ROOT + "index.txt")) {
      if (in == null) {
        return List.of();
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The recipe with fields replaced by JSON path: {@code training.steps=60},
   * {@code model.contracting[0].filters=32}, {@code loss={"type":"dice"}}. A value that parses as
   * JSON is taken as JSON, anything else as a string. The result is validated like a file.
   *
   * <p>An object value is merged field by field into the object it names, so
   * {@code training={"steps":60}} changes the steps and nothing else; an object of another
   * {@code "type"} (another loss, optimizer, schedule) replaces it, with that type's defaults for
   * what it does not name. An empty object is refused: it would change nothing, and was most likely
   * meant to reset the section, which no assignment does.
   *
   * <p>When the steps are lowered below the recipe's warm-up and the warm-up is not set too, the
   * warm-up is shortened to one step fewer than the steps (a warm-up must end before the training
   * does), and {@code notes} is told so.
   */
  public static Recipe withOverrides(Recipe recipe, List<String> assignments, Consumer<String> notes) {
    ObjectNode root = toTree(recipe);
    boolean stepsSet = false;
    boolean warmupSet = false;
    for (String assignment : assignments) {
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new SpecException("", "expected path=value, got \"" + assignment + "\"");
      }
      String path = assignment.substring(0, eq).strip();
      JsonNode value = parseValue(assignment.substring(eq + 1));
      set(root, path, value);
      stepsSet |= names(path, value, "steps");
      warmupSet |= names(path, value, "warmupSteps");
    }
    if (stepsSet && !warmupSet) {
      shortenWarmup(root, notes);
    }
    return fromTree(root);
  }

  /** {@link #withOverrides(Recipe, List, Consumer)}, ignoring its notes. */
  public static Recipe withOverrides(Recipe recipe, List<String> assignments) {
    return withOverrides(recipe, assignments, note -> { });
  }

  /** Whether assigning {@code value} at {@code path} sets {@code training.<field>}. */
  private static boolean names(String path, JsonNode value, String field) {
    return path.equals("training." + field) || (path.equals("training") && value.has(field));
  }

  private static void shortenWarmup(ObjectNode root, Consumer<String> notes) {
    JsonNode training = root.get("training");
    if (training == null || !training.isObject() || !training.path("steps").isIntegralNumber()
        || !training.path("warmupSteps").isIntegralNumber()) {
      return;
    }
    long steps = training.get("steps").asLong();
    long warmup = training.get("warmupSteps").asLong();
    if (warmup > 0 && warmup >= steps && steps >= 1) {
      long shortened = steps - 1;
      ((ObjectNode) training).put("warmupSteps", shortened);
      notes.accept("training.warmupSteps: the recipe's warm-up of " + warmup + " steps is not shorter than the "
          + steps + " steps asked for, so it is shortened to " + shortened + " (set training.warmupSteps to choose"
          + " another)");
    }
  }

  /** The JSON Schema of recipes, generated from the spec records. */
  public static String schema() {
    return SpecJson.write(JsonSchemaWriter.recipeSchema(Recipe.class, "https://unet4j.org/schema/recipe-v"
        + RecipeFormat.CURRENT_VERSION + ".json"));
  }

  private static JsonNode parseValue(String text) {
    try {
      return SpecJson.parse(text);
    } catch (SpecException notJson) {
      return JsonNodeFactory.instance.textNode(text);
    }
  }

  private static void set(ObjectNode root, String path, JsonNode value) {
    String[] segments = path.split("\\.", -1);
    JsonNode node = root;
    StringBuilder at = new StringBuilder();
    for (int s = 0; s < segments.length; s++) {
      Matcher m = SEGMENT.matcher(segments[s]);
      if (!m.matches()) {
        throw new SpecException(path, "not a field path; write it like training.steps or model.contracting[0].filters");
      }
      String field = m.group(1);
      List<Integer> indices = new ArrayList<>();
      for (Matcher i = INDEX.matcher(m.group(2)); i.find(); ) {
        indices.add(Integer.parseInt(i.group(1)));
      }
      boolean last = s == segments.length - 1;
      if (!node.isObject()) {
        throw new SpecException(at.toString(), "is not an object, so it has no field \"" + field + "\"");
      }
      at.append(at.length() == 0 ? "" : ".").append(field);
      if (last && indices.isEmpty()) {
        ((ObjectNode) node).set(field, assigned(path, node.get(field), value));
        return;
      }
      JsonNode next = node.get(field);
      if (next == null) {
        String guess = JsonNames.closest(field, ImmutableList.copyOf(node.fieldNames()));
        throw new SpecException(at.toString(), "no such field in the recipe; "
            + (guess != null ? "did you mean \"" + guess + "\"?" : "set a field that exists"));
      }
      for (int k = 0; k < indices.size(); k++) {
        int index = indices.get(k);
        if (!next.isArray() || index >= next.size()) {
          throw new SpecException(at.toString(), "has no element [" + index + "]"
              + (next.isArray() ? " (it has " + next.size() + ")" : " (it is not an array)"));
        }
        if (last && k == indices.size() - 1) {
          ((ArrayNode) next).set(index, assigned(path, next.get(index), value));
          return;
        }
        at.append('[').append(index).append(']');
        next = next.get(index);
      }
      node = next;
    }
  }

  /**
   * What replaces {@code current} when {@code value} is assigned to it: an object merged field by
   * field into an object of the same type, else the value itself.
   */
  private static JsonNode assigned(String path, @Nullable JsonNode current, JsonNode value) {
    if (!value.isObject()) {
      return value;
    }
    if (value.isEmpty()) {
      throw new SpecException(path, "{} sets no field; an object value changes only the fields it names, so give"
          + " them (" + path + "={\"name\": value}) or set one field by its path (" + path + ".name=value)");
    }
    if (current == null || !current.isObject() || !sameType(current, value)) {
      return value;
    }
    ObjectNode merged = ((ObjectNode) current).deepCopy();
    value.properties().forEach(e -> merged.set(e.getKey(), e.getValue().isObject()
        ? assigned(path + "." + e.getKey(), merged.get(e.getKey()), e.getValue()) : e.getValue()));
    return merged;
  }

  /** Whether the value keeps the object's kind: no {@code "type"}, or the same one. */
  private static boolean sameType(JsonNode current, JsonNode value) {
    JsonNode type = value.get("type");
    return type == null || type.equals(current.get("type"));
  }

  private static String readFile(Path file) {
    try {
      long size = Files.size(file);
      if (size > SpecJson.MAX_BYTES) {
        throw new SpecException("", "recipe file " + file + " is " + size + " bytes; recipes are limited to "
            + SpecJson.MAX_BYTES + " bytes (1 MiB)");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SpecException("", "cannot read recipe file " + file + ": " + e.getMessage());
    }
  }
}
