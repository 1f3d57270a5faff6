package org.unet4j.dsl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The logical name of one variant of a polymorphic spec, written as {@code "type"} in recipes
 * ({@code "sgd"}, {@code "elastic"}). Recipes name variants, never Java classes.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TypeName {
  String value();
}
