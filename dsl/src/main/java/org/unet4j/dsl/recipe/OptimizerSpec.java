package org.unet4j.dsl.recipe;

/** The optimizer, chosen in a recipe by its logical {@code "type"}: {@code sgd} or {@code adam}. */
public sealed interface OptimizerSpec permits SgdOptimizer, AdamOptimizer {}
