package org.unet4j.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No public name of the dsl is a Kotlin keyword that Java allows ({@code in}, {@code is},
 * {@code object}, ...): Kotlin callers would have to write it in backticks.
 */
class KotlinKeywordsTest {
  private static final Set<String> KOTLIN_ONLY_KEYWORDS =
      Set.of("as", "fun", "in", "is", "object", "typealias", "typeof", "val", "var", "when");

  @Test
  void noPublicMemberIsNamedAfterAKotlinKeyword() throws IOException, URISyntaxException {
    Path root = Path.of(Specs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> offenders = new ArrayList<>();
    int checked = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        Class<?> type;
        try {
          type = Class.forName(root.relativize(file).toString().replace('/', '.').replaceFirst("\\.class$", ""),
              false, getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
        if (!Modifier.isPublic(type.getModifiers())) {
          continue;
        }
        checked++;
        for (Method m : type.getDeclaredMethods()) {
          if (Modifier.isPublic(m.getModifiers()) && KOTLIN_ONLY_KEYWORDS.contains(m.getName())) {
            offenders.add(type.getName() + "." + m.getName() + "()");
          }
        }
        for (Field f : type.getDeclaredFields()) {
          if (Modifier.isPublic(f.getModifiers()) && KOTLIN_ONLY_KEYWORDS.contains(f.getName())) {
            offenders.add(type.getName() + "." + f.getName());
          }
        }
      }
    }
    assertTrue(checked > 50, "checked only " + checked + " public types");
    assertEquals(List.of(), offenders);
  }
}
