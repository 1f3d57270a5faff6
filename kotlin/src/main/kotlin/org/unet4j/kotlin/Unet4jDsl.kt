package org.unet4j.kotlin

/**
 * Marks the scopes of the unet4j DSL, so that inside `training { }` only the training scope's
 * members are visible without a label: `steps = 10` cannot reach past it to set something of the
 * recipe, and `stage(32)` inside a stage does not add a stage to the enclosing path.
 */
@DslMarker
public annotation class Unet4jDsl
