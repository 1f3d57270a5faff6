package org.unet4j.dsl.json;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.TypeName;

/**
 * How Java names appear in recipes: enum constants in lower kebab case ({@code CENTER_CROP} is
 * {@code "center-crop"}), variants by their {@link TypeName}; and the "did you mean" of errors.
 */
public final class JsonNames {
  private JsonNames() {}

  /** {@code CENTER_CROP} -> {@code center-crop}. */
  public static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The logical name of a polymorphic variant. */
  public static String of(Class<?> variant) {
    TypeName name = variant.getAnnotation(TypeName.class);
    if (name == null) {
      throw new IllegalStateException(variant.getName() + " has no @TypeName");
    }
    return name.value();
  }

  /** The enum constant written as {@code name}, or null. */
  public static <E extends Enum<E>> @Nullable E constant(Class<E> type, String name) {
    for (E e : type.getEnumConstants()) {
      if (of(e).equals(name)) {
        return e;
      }
    }
    return null;
  }

  /** The known name closest to {@code received} when it is a plausible typo, or null. */
  public static @Nullable String closest(String received, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(received.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, received.length() / 3);
    return bestDistance <= allowed ? best : null;
  }

  /** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
