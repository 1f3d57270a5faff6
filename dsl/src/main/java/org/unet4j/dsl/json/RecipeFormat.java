package org.unet4j.dsl.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.unet4j.dsl.SpecException;

/**
 * The recipe envelope: {@code {"format": "unet4j-recipe", "formatVersion": 7, ...}}. Reading
 * checks the envelope and runs the upgraders from the recipe's version to the current one.
 */
public final class RecipeFormat {
  public static final String FORMAT = "unet4j-recipe";
  public static final int CURRENT_VERSION = 7;
  static final String FORMAT_FIELD = "format";
  static final String VERSION_FIELD = "formatVersion";

  /** Upgraders from each older version, one per version. */
  static final List<RecipeUpgrader> UPGRADERS = List.of(new FormatOneToTwo(), new FormatTwoToThree(),
      new FormatThreeToFour(), new FormatFourToFive(), new FormatFiveToSix(), new FormatSixToSeven());

  private RecipeFormat() {}

  /** The envelope fields followed by {@code body}'s fields. */
  public static ObjectNode wrap(ObjectNode body) {
    ObjectNode root = SpecJson.objectNode();
    root.put(FORMAT_FIELD, FORMAT);
    root.put(VERSION_FIELD, CURRENT_VERSION);
    root.setAll(body);
    return root;
  }

  /** Checks the envelope, upgrades to the current version and returns the body without it. */
  public static ObjectNode unwrap(JsonNode root) {
    return unwrap(root, CURRENT_VERSION, UPGRADERS);
  }

  /** {@link #unwrap(JsonNode)} with a given current version and upgrader chain. */
  public static ObjectNode unwrap(JsonNode root, int currentVersion, List<RecipeUpgrader> upgraders) {
    if (!root.isObject()) {
      throw new SpecException("", "expected a recipe object, got " + SpecJson.describe(root));
    }
    JsonNode format = root.get(FORMAT_FIELD);
    if (format == null || !format.isTextual() || !format.textValue().equals(FORMAT)) {
      throw new SpecException(FORMAT_FIELD, "expected \"" + FORMAT + "\", got "
          + (format == null ? "nothing" : SpecJson.describe(format)) + "; is this a unet4j recipe?");
    }
    JsonNode versionNode = root.get(VERSION_FIELD);
    if (versionNode == null || !versionNode.isIntegralNumber() || !versionNode.canConvertToInt()) {
      throw new SpecException(VERSION_FIELD, "expected an integer 1.." + currentVersion + ", got "
          + (versionNode == null ? "nothing" : SpecJson.describe(versionNode)));
    }
    int version = versionNode.intValue();
    if (version > currentVersion) {
      throw new SpecException(VERSION_FIELD, "this recipe has format version " + version
          + " but this unet4j reads versions 1.." + currentVersion + "; upgrade unet4j to read it");
    }
    if (version < 1) {
      throw new SpecException(VERSION_FIELD, "expected an integer 1.." + currentVersion + ", got " + version);
    }
    ObjectNode body = ((ObjectNode) root).deepCopy();
    body.remove(FORMAT_FIELD);
    body.remove(VERSION_FIELD);
    while (version < currentVersion) {
      int from = version;
      RecipeUpgrader upgrader = upgraders.stream().filter(u -> u.fromVersion() == from).findFirst()
          .orElseThrow(() -> new IllegalStateException("no upgrader from recipe format version " + from));
      body = upgrader.upgrade(body);
      version++;
    }
    return body;
  }
}
