package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;

/**
 * A JSON Schema (draft 2020-12) generated from the spec records themselves, so the schema, the
 * reader and the validator cannot disagree: the same {@link Range}, {@link Default} and
 * {@link Doc} annotations drive all three. Each record type becomes one entry of {@code $defs}.
 */
public final class JsonSchemaWriter {
  private final ObjectNode defs = SpecJson.objectNode();

  private JsonSchemaWriter() {}

  /** The schema of a recipe: the envelope plus the fields of {@code body}. */
  public static ObjectNode recipeSchema(Class<? extends Record> body, String id) {
    JsonSchemaWriter writer = new JsonSchemaWriter();
    ObjectNode root = SpecJson.objectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.put("$id", id);
    root.put("title", "unet4j recipe, format version " + RecipeFormat.CURRENT_VERSION);
    ObjectNode bodySchema = writer.recordSchema(body);
    root.put("type", "object");
    Doc doc = body.getAnnotation(Doc.class);
    if (doc != null) {
      root.put("description", doc.value());
    }
    ObjectNode properties = root.putObject("properties");
    properties.putObject(RecipeFormat.FORMAT_FIELD).put("const", RecipeFormat.FORMAT);
    properties.putObject(RecipeFormat.VERSION_FIELD).put("const", RecipeFormat.CURRENT_VERSION);
    properties.setAll((ObjectNode) bodySchema.get("properties"));
    ArrayNode required = root.putArray("required");
    required.add(RecipeFormat.FORMAT_FIELD).add(RecipeFormat.VERSION_FIELD);
    required.addAll((ArrayNode) bodySchema.get("required"));
    root.put("additionalProperties", false);
    root.set("$defs", writer.defs);
    return root;
  }

  private ObjectNode schemaOf(Type type, @Nullable RecordComponent component) {
    Class<?> raw = SpecJson.raw(type);
    ObjectNode s = SpecJson.objectNode();
    if (raw == List.class) {
      s.put("type", "array");
      s.set("items", schemaOf(((ParameterizedType) type).getActualTypeArguments()[0], null));
    } else if (raw.isSealed() && raw.isInterface()) {
      ArrayNode oneOf = s.putArray("oneOf");
      for (Map.Entry<String, Class<?>> v : SpecJson.variants(raw).entrySet()) {
        oneOf.addObject().put("$ref", ref(v.getValue()));
      }
    } else if (raw.isRecord()) {
      s.put("$ref", ref(raw));
    } else if (raw == int.class || raw == Integer.class || raw == long.class) {
      s.put("type", "integer");
    } else if (raw == double.class || raw == Double.class) {
      s.put("type", "number");
    } else if (raw == boolean.class) {
      s.put("type", "boolean");
    } else if (raw == String.class) {
      s.put("type", "string");
    } else if (raw.isEnum()) {
      ArrayNode values = s.putArray("enum");
      for (Object e : raw.getEnumConstants()) {
        values.add(JsonNames.of((Enum<?>) e));
      }
    } else {
      throw new IllegalStateException("no schema for " + type);
    }
    if (component != null) {
      Range range = component.getAnnotation(Range.class);
      if (range != null) {
        s.put(range.minExclusive() ? "exclusiveMinimum" : "minimum", range.min());
        s.put(range.maxExclusive() ? "exclusiveMaximum" : "maximum", range.max());
      }
      Doc doc = component.getAnnotation(Doc.class);
      if (doc != null) {
        s.put("description", doc.value());
      }
      Default d = component.getAnnotation(Default.class);
      if (d != null) {
        s.set("default", SpecJson.parse(d.value()));
      }
    }
    return s;
  }

  private String ref(Class<?> record) {
    String name = record.getSimpleName();
    if (!defs.has(name)) {
      defs.set(name, SpecJson.objectNode());
      defs.set(name, recordSchema(record));
    }
    return "#/$defs/" + name;
  }

  private ObjectNode recordSchema(Class<?> record) {
    ObjectNode s = SpecJson.objectNode();
    s.put("type", "object");
    Doc doc = record.getAnnotation(Doc.class);
    if (doc != null) {
      s.put("description", doc.value());
    }
    ObjectNode properties = s.putObject("properties");
    ArrayNode required = s.putArray("required");
    if (SpecJson.isVariant(record)) {
      properties.putObject(SpecJson.TYPE).put("const", JsonNames.of(record));
      required.add(SpecJson.TYPE);
    }
    for (RecordComponent c : record.getRecordComponents()) {
      properties.set(c.getName(), schemaOf(c.getGenericType(), c));
      if (c.getAnnotation(Default.class) == null && !SpecJson.allDefaulted(c.getType())) {
        required.add(c.getName());
      }
    }
    s.put("additionalProperties", false);
    return s;
  }

}
