package org.unet4j.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The closed range a numeric spec component accepts. It is the single source of the bounds: the
 * spec validator, the recipe reader and the JSON Schema all read it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Range {
  double min();

  double max();

  /** Whether {@code min} itself is excluded (a rate that must be positive, say). */
  boolean minExclusive() default false;

  /** Whether {@code max} itself is excluded (a dropout rate below 1, say). */
  boolean maxExclusive() default false;
}
