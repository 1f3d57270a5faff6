package org.unet4j.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a recipe field takes when the JSON leaves it out, written as a JSON literal
 * ({@code "2"}, {@code "\"valid\""}, {@code "[]"}, {@code "{\"type\": \"sgd\"}"}). A nested spec
 * whose fields all have defaults needs no annotation: a missing object reads as {@code {}}.
 * Written recipes always spell every value out, so a recipe keeps its meaning when a default
 * changes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Default {
  String value();
}
