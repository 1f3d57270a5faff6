package org.unet4j.kotlin

import org.unet4j.dsl.model.ModelSpec
import org.unet4j.dsl.model.UNet

private val MODEL: ModelSpec = UNet.builder().build()

/**
 * A net declared on `UNet.builder()`: `unet(inputChannels = 1, classes = 2) { depth(4); baseFilters(64) }`
 * for the family, or stage by stage with `contracting { }`, `bottleneck(f) { }` and `expanding { }`.
 * Errors name the spec path as the Java builder's do: `contracting[1].convs: expected 1..8, got 9`.
 * `dimensions = 3` declares a net for volumes (z, y, x).
 */
public fun unet(
    inputChannels: Int = MODEL.inputChannels,
    classes: Int = MODEL.classes,
    dimensions: Int = MODEL.dimensions,
    block: UNetScope.() -> Unit = {},
): ModelSpec {
    val builder = UNet.builder().inputChannels(inputChannels).classes(classes).dimensions(dimensions)
    UNetScope(builder).block()
    return builder.build()
}
