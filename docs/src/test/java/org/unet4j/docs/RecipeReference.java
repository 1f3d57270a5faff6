package org.unet4j.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The recipe reference, {@code docs/guide/recipe-reference.md}, generated from the JSON Schema of
 * recipes ({@code Recipes.schema()}), which is itself generated from the spec records' {@code @Doc},
 * {@code @Default} and {@code @Range} annotations. So the page lists exactly the fields the reader
 * accepts, with the reader's defaults and bounds.
 *
 * <p>The page is a list of {@link Block}s: the top-level fields, then one block per section of the
 * recipe ({@code model}, {@code loss}, ...) with its nested records flattened into JSON paths
 * ({@code model.contracting[].filters}). A polymorphic value ({@code oneOf} by {@code type}) gets one
 * block per variant; where the same set of variants comes back deeper (the terms of a combined
 * loss), its row points at the blocks already written instead of repeating them.
 */
final class RecipeReference {
  /** The page, relative to the repository root. */
  static final String PAGE = "docs/guide/recipe-reference.md";

  /** The command that rewrites the page, printed when it is out of date. */
  static final String REGENERATE = "mvn -B -pl docs -am test -Dtest=RecipeReferenceTest"
      + " -Dsurefire.failIfNoSpecifiedTests=false -Dunet4j.docs.write=true";

  private static final String REF_PREFIX = "#/$defs/";
  private static final String TYPE = "type";

  /**
   * One field of a recipe: its JSON path, what values it takes, its default ({@code required} when
   * it has none and must be given), its range and its description.
   */
  record Row(String path, String values, String defaultValue, String range, String description) {}

  /**
   * A table of rows under a heading: a section, or one variant of a polymorphic value, which
   * {@code variantOf} then names ({@code "loss"}, with {@code type} the variant's name).
   */
  record Block(String heading, String description, String variantOf, String type, List<Row> rows) {}

  private final JsonNode schema;
  private final JsonNode defs;
  private final List<Block> blocks = new ArrayList<>();
  /** For each set of variants already written, the path where it was. */
  private final Map<List<String>, String> variantSets = new LinkedHashMap<>();

  private RecipeReference(JsonNode schema) {
    this.schema = schema;
    this.defs = schema.path("$defs");
  }

  /** The reference of the schema given as JSON text. */
  static RecipeReference of(String schemaJson) {
    try {
      RecipeReference reference = new RecipeReference(new ObjectMapper().readTree(schemaJson));
      reference.walkRoot();
      return reference;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException("the schema is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  List<Block> blocks() {
    return blocks;
  }

  /** Every row of every block, in page order. */
  List<Row> rows() {
    return blocks.stream().flatMap(b -> b.rows().stream()).toList();
  }

  private void walkRoot() {
    List<Row> top = new ArrayList<>();
    Set<String> required = strings(schema.path("required"));
    List<Map.Entry<String, JsonNode>> sections = new ArrayList<>();
    schema.path("properties").fields().forEachRemaining(field -> {
      if (field.getValue().has("$ref") || field.getValue().has("oneOf")) {
        sections.add(field);
      }
      top.add(row(field.getKey(), field.getValue(), required.contains(field.getKey())));
    });
    blocks.add(new Block("Top level", schema.path("description").asText(""), "", "", top));
    for (Map.Entry<String, JsonNode> section : sections) {
      String path = section.getKey();
      JsonNode s = section.getValue();
      if (s.has("$ref")) {
        JsonNode def = def(s);
        List<Row> rows = new ArrayList<>();
        List<Runnable> after = new ArrayList<>();
        walkRecord(path, def, rows, after, new HashSet<>(Set.of(name(s))));
        blocks.add(new Block(path, def.path("description").asText(""), "", "", rows));
        after.forEach(Runnable::run);
      } else {
        blocks.add(new Block(path, "One of the variants below, chosen by its `type`", "", "",
            List.of(row(path, s, required.contains(path)))));
        variants(path, s, new HashSet<>());
      }
    }
  }

  /**
   * The rows of the fields of a record at {@code path}, nested records inline; the blocks of
   * variants met on the way are added by {@code after}, once the current block is complete.
   */
  private void walkRecord(String path, JsonNode def, List<Row> rows, List<Runnable> after, Set<String> open) {
    Set<String> required = strings(def.path("required"));
    def.path("properties").fields().forEachRemaining(field -> {
      String at = path + "." + field.getKey();
      JsonNode s = field.getValue();
      rows.add(row(at, s, required.contains(field.getKey())));
      JsonNode target = s.path("type").asText("").equals("array") ? s.path("items") : s;
      String itemPath = target == s ? at : at + "[]";
      if (target.has("$ref") && !open.contains(name(target))) {
        Set<String> inner = new HashSet<>(open);
        inner.add(name(target));
        walkRecord(itemPath, def(target), rows, after, inner);
      } else if (target.has("oneOf")) {
        List<String> set = variantNames(target);
        if (!variantSets.containsKey(set)) {
          variantSets.put(set, itemPath);
          after.add(() -> variants(itemPath, target, open));
        }
      }
    });
  }

  /** One block per variant of the polymorphic value at {@code path}. */
  private void variants(String path, JsonNode s, Set<String> open) {
    variantSets.putIfAbsent(variantNames(s), path);
    for (JsonNode ref : s.path("oneOf")) {
      JsonNode def = def(ref);
      String type = def.path("properties").path(TYPE).path("const").asText();
      List<Row> rows = new ArrayList<>();
      List<Runnable> after = new ArrayList<>();
      Set<String> inner = new HashSet<>(open);
      inner.add(name(ref));
      walkRecord(path, def, rows, after, inner);
      blocks.add(new Block(path + ": " + type, def.path("description").asText(""), path, type, rows));
      after.forEach(Runnable::run);
    }
  }

  private Row row(String path, JsonNode s, boolean required) {
    String description = s.path("description").asText("");
    if (description.isEmpty() && s.has("$ref")) {
      description = def(s).path("description").asText("");
    }
    if (description.isEmpty() && s.has("oneOf")) {
      description = "one of the variants below, chosen by its `type`";
      String documented = variantSets.get(variantNames(s));
      if (documented != null && !path.equals(documented)) {
        description = "any of the variants of `" + documented + "` above, chosen by its `type`";
      }
    }
    String defaultValue;
    if (s.has("default")) {
      defaultValue = code(literal(s.get("default")));
    } else if (s.has("const")) {
      defaultValue = "required";
    } else if (required) {
      defaultValue = "required";
    } else if (s.has("$ref")) {
      defaultValue = code("{}") + " (every field defaulted)";
    } else {
      defaultValue = "none";
    }
    return new Row(path, values(s), defaultValue, range(s), description);
  }

  /** What values a field takes: a JSON type, the allowed strings, or the variants. */
  private String values(JsonNode s) {
    if (s.has("const")) {
      return code(literal(s.get("const")));
    }
    if (s.has("enum")) {
      List<String> values = new ArrayList<>();
      s.get("enum").forEach(v -> values.add(code(literal(v))));
      return String.join(", ", values);
    }
    if (s.has("$ref")) {
      return "object";
    }
    if (s.has("oneOf")) {
      return "object with `type` " + variantNames(s).stream().map(t -> code("\"" + t + "\""))
          .collect(Collectors.joining(", "));
    }
    String type = s.path("type").asText("");
    if (type.equals("array")) {
      String item = values(s.path("items"));
      if (item.startsWith("object")) {
        return "array of objects" + item.substring("object".length());
      }
      return "array of " + (List.of("number", "integer", "string", "boolean").contains(item) ? item + "s" : item);
    }
    if (type.isEmpty()) {
      throw new IllegalStateException("no type in schema node " + s);
    }
    return type;
  }

  /** The range as the reader's messages say it: {@code 1..64}, {@code 0 <= x < 1}, {@code 0 < x <= 10}. */
  static String range(JsonNode s) {
    boolean lowOpen = s.has("exclusiveMinimum");
    boolean highOpen = s.has("exclusiveMaximum");
    JsonNode low = lowOpen ? s.get("exclusiveMinimum") : s.get("minimum");
    JsonNode high = highOpen ? s.get("exclusiveMaximum") : s.get("maximum");
    if (low == null && high == null) {
      return "";
    }
    if (low == null || high == null) {
      throw new IllegalStateException("a range needs both bounds, got " + s);
    }
    if (!lowOpen && !highOpen) {
      return number(low) + ".." + number(high);
    }
    return number(low) + (lowOpen ? " < x " : " <= x ") + (highOpen ? "< " : "<= ") + number(high);
  }

  /** A bound as written in messages: {@code 1}, {@code 0.99}, {@code 1000000000}, no exponent. */
  static String number(JsonNode n) {
    BigDecimal value = n.decimalValue().stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
  }

  private List<String> variantNames(JsonNode s) {
    List<String> names = new ArrayList<>();
    for (JsonNode ref : s.path("oneOf")) {
      names.add(def(ref).path("properties").path(TYPE).path("const").asText());
    }
    return names;
  }

  private JsonNode def(JsonNode ref) {
    JsonNode def = defs.path(name(ref));
    if (!def.isObject()) {
      throw new IllegalStateException("the schema has no definition for " + ref.path("$ref").asText());
    }
    return def;
  }

  private static String name(JsonNode ref) {
    String target = ref.path("$ref").asText("");
    if (!target.startsWith(REF_PREFIX)) {
      throw new IllegalStateException("expected a reference to " + REF_PREFIX + "..., got " + ref);
    }
    return target.substring(REF_PREFIX.length());
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new HashSet<>();
    array.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** A JSON value on one line, with a space after {@code :} and {@code ,} as a person writes it. */
  static String literal(JsonNode value) {
    if (value.isObject()) {
      List<String> fields = new ArrayList<>();
      value.fields().forEachRemaining(f -> fields.add("\"" + f.getKey() + "\": " + literal(f.getValue())));
      return "{" + String.join(", ", fields) + "}";
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(literal(v)));
      return "[" + String.join(", ", items) + "]";
    }
    if (value.isNumber()) {
      return number(value);
    }
    return value.toString();
  }

  private static String code(String text) {
    return "`" + text + "`";
  }

  /** The page. */
  String markdown() {
    StringBuilder md = new StringBuilder();
    String title = schema.path("title").asText("");
    md.append("# Recipe reference\n\n");
    md.append("<!-- Generated from the recipe JSON Schema by docs/src/test/java/org/unet4j/docs/RecipeReference.java;"
        + " do not edit by hand. RecipeReferenceTest fails when it is out of date; regenerate with\n     ")
        .append(REGENERATE).append(" -->\n\n");
    md.append("Every field of a recipe as this unet4j reads it (").append(title).append("; schema `")
        .append(schema.path("$id").asText("")).append("`), generated from the JSON Schema that `unet4j schema`"
            + " prints and `Recipes.schema()` returns. That schema is generated from the spec records"
            + " themselves, so this page lists exactly what the recipe reader accepts, with its defaults and"
            + " bounds. How recipes are read, written and versioned is in [recipe-format.md](recipe-format.md).\n\n");
    md.append("- **Field** is the JSON path as `--set` takes it; `[]` stands for any element of a list"
        + " (`--set model.contracting[0].filters=32`).\n");
    md.append("- **Default** is the value a recipe that leaves the field out gets; **required** fields have"
        + " none. Written recipes spell every default out.\n");
    md.append("- **Range** is the closed range unless `<` says otherwise; values outside it are refused with"
        + " the field's path.\n");
    md.append("- A value with a `type` (a loss, a transform, an optimizer, a schedule) takes the fields of the"
        + " variant it names, listed under that variant.\n\n");
    md.append("Sections:");
    String separator = " ";
    for (Block block : blocks) {
      if (block.variantOf().isEmpty()) {
        md.append(separator).append('[').append(block.heading()).append("](#").append(anchor(block.heading()))
            .append(')');
        separator = ", ";
      }
    }
    md.append(".\n");
    for (Block block : blocks) {
      md.append("\n").append(block.variantOf().isEmpty() ? "## " : "### ").append(block.heading()).append("\n\n");
      List<String> intro = new ArrayList<>();
      if (!block.variantOf().isEmpty()) {
        intro.add(code(block.variantOf()) + " with " + code("\"type\": \"" + block.type() + "\"") + ".");
      }
      if (!block.description().isEmpty()) {
        intro.add(sentence(block.description()));
      }
      md.append(intro.isEmpty() ? "" : String.join(" ", intro) + "\n\n");
      md.append("| Field | Values | Default | Range | Description |\n|---|---|---|---|---|\n");
      for (Row r : block.rows()) {
        md.append("| ").append(code(r.path())).append(" | ").append(cell(r.values())).append(" | ")
            .append(cell(r.defaultValue())).append(" | ").append(r.range().isEmpty() ? "" : code(r.range()))
            .append(" | ").append(cell(r.description())).append(" |\n");
      }
    }
    return md.toString();
  }

  /** The anchor GitHub gives a heading: lower case, punctuation but {@code -} and {@code _} dropped. */
  static String anchor(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }

  private static String sentence(String text) {
    String t = text.strip();
    return t.endsWith(".") ? t : t + ".";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
