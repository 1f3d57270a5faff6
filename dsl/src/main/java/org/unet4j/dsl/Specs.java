package org.unet4j.dsl;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks a tree of spec records against the {@link Range} annotations of their components, so the
 * same bounds hold for specs built in code and specs read from JSON. Problems come back with the
 * spec path of the component: {@code contracting[2].convs: expected 1..8, got 0}.
 */
public final class Specs {
  /** The components of each record type by name, read once: constructors check them often. */
  private static final ClassValue<Map<String, RecordComponent>> COMPONENTS = new ClassValue<>() {
    @Override
    protected Map<String, RecordComponent> computeValue(Class<?> type) {
      Map<String, RecordComponent> byName = new LinkedHashMap<>();
      for (RecordComponent c : type.getRecordComponents()) {
        byName.put(c.getName(), c);
      }
      return Collections.unmodifiableMap(byName);
    }
  };

  private Specs() {}

  /** Validates {@code spec} and everything under it; a problem names {@code path} as its parent. */
  public static void validate(String path, Object spec) {
    if (spec instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        validate(path + "[" + i + "]", list.get(i));
      }
      return;
    }
    if (spec instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        validate(path + "." + e.getKey(), e.getValue());
      }
      return;
    }
    if (!spec.getClass().isRecord()) {
      return;
    }
    for (RecordComponent component : spec.getClass().getRecordComponents()) {
      Object value = read(component, spec);
      String child = path.isEmpty() ? component.getName() : path + "." + component.getName();
      if (value == null) {
        continue;
      }
      Range range = component.getAnnotation(Range.class);
      if (range != null && value instanceof Number number) {
        String problem = checkRange(range, number.doubleValue(), value instanceof Integer || value instanceof Long);
        if (problem != null) {
          throw new SpecException(child, problem);
        }
      }
      validate(child, value);
    }
  }

  /**
   * Checks one numeric component of {@code type} against its {@link Range}, for records that check
   * their own scalars in their constructor; the problem names the component, and a parent that
   * holds the record puts its own path in front ({@link SpecException#under}).
   */
  public static void checkComponent(Class<? extends Record> type, String component, double value) {
    RecordComponent c = COMPONENTS.get(type).get(component);
    if (c == null) {
      throw new IllegalArgumentException(type.getSimpleName() + " has no component " + component);
    }
    Range range = c.getAnnotation(Range.class);
    Class<?> t = c.getType();
    String problem = range == null ? null : checkRange(range, value, t == int.class || t == long.class);
    if (problem != null) {
      throw new SpecException(component, problem);
    }
  }

  /** Why {@code value} is outside {@code range}, or null when it is inside. */
  public static @Nullable String checkRange(Range range, double value, boolean integral) {
    boolean low = range.minExclusive() ? value <= range.min() : value < range.min();
    boolean high = range.maxExclusive() ? value >= range.max() : value > range.max();
    if (!low && !high && !Double.isNaN(value)) {
      return null;
    }
    return "expected " + describe(range, integral) + ", got " + format(value, integral);
  }

  /** The range as people write it: {@code 1..8}, {@code 0 <= x < 1}. */
  public static String describe(Range range, boolean integral) {
    if (!range.minExclusive() && !range.maxExclusive()) {
      return format(range.min(), integral) + ".." + format(range.max(), integral);
    }
    return format(range.min(), integral) + (range.minExclusive() ? " < x " : " <= x ")
        + (range.maxExclusive() ? "< " : "<= ") + format(range.max(), integral);
  }

  /** A number as a recipe would show it: no trailing {@code .0} for integral values. */
  public static String format(double value, boolean integral) {
    if (integral || (value == Math.rint(value) && Math.abs(value) < 1e15)) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%s", value);
  }

  private static @Nullable Object read(RecordComponent component, Object record) {
    try {
      return component.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }
}
