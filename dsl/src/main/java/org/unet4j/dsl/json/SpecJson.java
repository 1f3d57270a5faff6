package org.unet4j.dsl.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.Specs;

/**
 * The strict, reflective JSON codec of spec records. Records are written with their components in
 * declaration order, enums in kebab case and polymorphic specs with their logical {@code "type"}
 * first; every value is written, defaults included. Reading is strict: an unknown field, a wrong
 * type, an out-of-range value or a missing required field fails with its JSON path
 * ({@code model.contracting[2].filtres: unknown field; did you mean "filters"?}).
 */
public final class SpecJson {
  /** Largest JSON text accepted, in bytes. */
  public static final int MAX_BYTES = 1 << 20;
  /** Deepest nesting of objects and arrays accepted. */
  public static final int MAX_NESTING = 32;

  static final String TYPE = "type";

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).maxStringLength(MAX_BYTES).build());
  }

  private SpecJson() {}

  /** Parses JSON text, refusing over-large or over-deep input with a clear message. */
  public static JsonNode parse(String text) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new SpecException("", "the JSON text is " + bytes + " bytes; at most " + MAX_BYTES
          + " bytes (1 MiB) are accepted");
    }
    try (JsonParser parser = MAPPER.createParser(text)) {
      JsonNode node = MAPPER.readTree(parser);
      if (node == null || node.isMissingNode()) {
        throw new SpecException("", "the JSON text is empty; expected an object");
      }
      if (parser.nextToken() != null) {
        throw new SpecException("", "unexpected content after the JSON object at line "
            + parser.currentLocation().getLineNr());
      }
      return node;
    } catch (StreamConstraintsException e) {
      // The nesting limit is ours; the others (a number or field name too long) are Jackson's.
      String limit = String.valueOf(e.getOriginalMessage());
      throw new SpecException("", limit.contains("getMaxNestingDepth")
          ? "the JSON is nested deeper than " + MAX_NESTING + " levels"
          : "the JSON text exceeds a parser limit: " + limit.replaceFirst(", from `[^`]*`\\)", ")"));
    } catch (JsonProcessingException e) {
      throw new SpecException("", "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new SpecException("", "cannot read the JSON text: " + e.getMessage());
    }
  }

  /** Stable text: two-space indent, one field per line, a final newline. */
  public static String write(JsonNode node) {
    // "key": value through the separators, not by editing the text, which would also change
    // string values that contain " : ".
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    try {
      return MAPPER.writer(printer).writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An object node that keeps insertion order. */
  public static ObjectNode objectNode() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * The spec a recipe means when it leaves out every field of {@code type}: the values of the
   * {@link Default} annotations. Builders start from it, so a builder's defaults and the recipe
   * format's cannot drift apart.
   */
  public static <T extends Record> T defaults(Class<T> type) {
    if (!allDefaulted(type)) {
      throw new IllegalArgumentException(type.getSimpleName() + " has fields without a default");
    }
    return read(type, objectNode(), "");
  }

  /** The JSON tree of a spec: a record, list, enum, string, number or boolean. */
  public static JsonNode toTree(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value instanceof Record record) {
      ObjectNode node = f.objectNode();
      if (isVariant(record.getClass())) {
        node.put(TYPE, JsonNames.of(record.getClass()));
      }
      for (RecordComponent c : record.getClass().getRecordComponents()) {
        Object v = read(c, record);
        if (v == null) {
          throw new IllegalStateException(c + " is null");
        }
        node.set(c.getName(), toTree(v));
      }
      return node;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = f.arrayNode();
      list.forEach(e -> array.add(toTree(e)));
      return array;
    }
    if (value instanceof Enum<?> e) {
      return f.textNode(JsonNames.of(e));
    }
    if (value instanceof String s) {
      return f.textNode(s);
    }
    if (value instanceof Integer i) {
      return f.numberNode(i);
    }
    if (value instanceof Long l) {
      return f.numberNode(l);
    }
    if (value instanceof Double d) {
      return f.numberNode(d);
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    throw new IllegalStateException("no JSON form for " + value.getClass());
  }

  /** Reads a value of {@code type} (a record, sealed interface, enum, scalar or List) at {@code path}. */
  public static Object fromTree(Type type, JsonNode node, String path) {
    Class<?> raw = raw(type);
    if (raw == List.class) {
      if (!node.isArray()) {
        throw wrong(path, "an array", node);
      }
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        values.add(fromTree(element, node.get(i), path + "[" + i + "]"));
      }
      return values;
    }
    if (raw.isSealed() && raw.isInterface()) {
      return readVariant(raw, node, path);
    }
    if (raw.isRecord()) {
      return readRecord(raw, node, path);
    }
    return readScalar(raw, node, path, null);
  }

  /** Reads a record of {@code type}. */
  public static <T> T read(Class<T> type, JsonNode node, String path) {
    return type.cast(fromTree(type, node, path));
  }

  /** The records that may stand where {@code sealed} is expected, by logical name. */
  public static Map<String, Class<?>> variants(Class<?> sealed) {
    Map<String, Class<?>> byName = new LinkedHashMap<>();
    for (Class<?> c : sealed.getPermittedSubclasses()) {
      byName.put(JsonNames.of(c), c);
    }
    return byName;
  }

  /** Whether a missing field of this type can be read as {@code {}}: all its fields have defaults. */
  static boolean allDefaulted(Class<?> type) {
    if (!type.isRecord()) {
      return false;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      if (c.getAnnotation(Default.class) == null && !allDefaulted(c.getType())) {
        return false;
      }
    }
    return true;
  }

  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported spec type " + type);
  }

  static boolean isVariant(Class<?> type) {
    return Arrays.stream(type.getInterfaces()).anyMatch(Class::isSealed);
  }

  private static Object readVariant(Class<?> sealed, JsonNode node, String path) {
    if (!node.isObject()) {
      throw wrong(path, "an object with a \"type\"", node);
    }
    Map<String, Class<?>> variants = variants(sealed);
    String allowed = String.join(", ", variants.keySet());
    JsonNode type = node.get(TYPE);
    String typePath = child(path, TYPE);
    if (type == null) {
      throw new SpecException(typePath, "missing; expected one of " + allowed);
    }
    if (!type.isTextual()) {
      throw wrong(typePath, "one of " + allowed, type);
    }
    Class<?> variant = variants.get(type.textValue());
    if (variant == null) {
      String guess = JsonNames.closest(type.textValue(), variants.keySet());
      throw new SpecException(typePath, "unknown type \"" + type.textValue() + "\""
          + (guess != null ? "; did you mean \"" + guess + "\"?" : ".") + " Expected one of " + allowed);
    }
    ObjectNode rest = ((ObjectNode) node).deepCopy();
    rest.remove(TYPE);
    return readRecord(variant, rest, path);
  }

  private static Object readRecord(Class<?> type, JsonNode node, String path) {
    if (!node.isObject()) {
      throw wrong(path, "an object", node);
    }
    RecordComponent[] components = type.getRecordComponents();
    List<String> known = Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toList());
    if (isVariant(type)) {
      known.add(TYPE);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        String guess = JsonNames.closest(name, known);
        throw new SpecException(child(path, name), "unknown field; "
            + (guess != null ? "did you mean \"" + guess + "\"?" : "known fields: " + String.join(", ", known)));
      }
    }
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      types[i] = c.getType();
      String at = child(path, c.getName());
      JsonNode value = node.get(c.getName());
      if (value == null) {
        Default d = c.getAnnotation(Default.class);
        if (d != null) {
          value = parse(d.value());
        } else if (allDefaulted(c.getType())) {
          value = objectNode();
        } else {
          throw new SpecException(at, "missing required field");
        }
      }
      Range range = c.getAnnotation(Range.class);
      args[i] = c.getType().isPrimitive() || c.getType() == String.class || c.getType().isEnum()
          ? readScalar(c.getType(), value, at, range)
          : fromTree(c.getGenericType(), value, at);
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(types);
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SpecException spec) {
        throw spec.under(path);
      }
      if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
        throw new SpecException(path, String.valueOf(cause.getMessage()));
      }
      throw new IllegalStateException("cannot build " + type.getSimpleName() + " at " + path, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  private static Object readScalar(Class<?> type, JsonNode node, String path, @Nullable Range range) {
    String bounds = range == null ? "" : " " + Specs.describe(range, type == int.class || type == long.class);
    Object value;
    if (type == int.class || type == Integer.class) { // Integer: the elements of integer lists
      if (!node.isIntegralNumber() || !node.canConvertToInt()) {
        throw wrong(path, "an integer" + bounds, node);
      }
      value = node.intValue();
    } else if (type == long.class) {
      if (!node.isIntegralNumber() || !node.canConvertToLong()) {
        throw wrong(path, "an integer" + bounds, node);
      }
      value = node.longValue();
    } else if (type == double.class || type == Double.class) {
      if (!node.isNumber()) {
        throw wrong(path, "a number" + bounds, node);
      }
      value = node.doubleValue();
    } else if (type == boolean.class) {
      if (!node.isBoolean()) {
        throw wrong(path, "true or false", node);
      }
      return node.booleanValue();
    } else if (type == String.class) {
      if (!node.isTextual()) {
        throw wrong(path, "a string", node);
      }
      return node.textValue();
    } else if (type.isEnum()) {
      return readEnum(type.asSubclass(Enum.class), node, path);
    } else {
      throw new IllegalStateException("unsupported spec type " + type + " at " + path);
    }
    if (range != null) {
      String problem = Specs.checkRange(range, ((Number) value).doubleValue(), type != double.class);
      if (problem != null) {
        throw new SpecException(path, problem);
      }
    }
    return value;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object readEnum(Class<? extends Enum> type, JsonNode node, String path) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> JsonNames.of((Enum<?>) e)).toList();
    String allowed = names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
    if (!node.isTextual()) {
      throw wrong(path, "one of " + allowed, node);
    }
    Object constant = JsonNames.constant((Class) type, node.textValue());
    if (constant == null) {
      String guess = JsonNames.closest(node.textValue(), names);
      throw new SpecException(path, "expected one of " + allowed + ", got \"" + node.textValue() + "\""
          + (guess != null ? "; did you mean \"" + guess + "\"?" : ""));
    }
    return constant;
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static SpecException wrong(String path, String expected, JsonNode got) {
    return new SpecException(path, "expected " + expected + ", got " + describe(got));
  }

  static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "the string \"" + node.textValue() + "\"";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    if (node.isNull()) {
      return "null";
    }
    return node.isArray() ? "an array" : "an object";
  }

  private static @Nullable Object read(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }
}
