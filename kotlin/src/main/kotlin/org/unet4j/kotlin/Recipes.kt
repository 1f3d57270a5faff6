package org.unet4j.kotlin

import org.unet4j.dsl.recipe.Recipe

/*
 * Entry points of the Kotlin DSL. Each scope of this package wraps one Java builder of the dsl
 * module and only translates: defaults, validation and error messages (with their recipe paths)
 * are the Java builders'. Extensions for the runtime (recipe.train(dir), model.predict(path)) belong
 * in this package too, in a file of their own beside this one, on top of the runtime's Java API.
 */

/**
 * A recipe named [name]: everything not declared in [block] keeps the recipe format's default; a
 * model is required.
 *
 * ```
 * val r = recipe("my-nuclei") {
 *     model = unet(inputChannels = 1, classes = 2) { depth(3); baseFilters(16) }
 *     training { steps = 2000; tile = 252; adam(lr = 1e-3) }
 * }
 * ```
 */
public fun recipe(name: String, block: RecipeScope.() -> Unit): Recipe {
    val builder = Recipe.builder(name)
    RecipeScope(builder).block()
    return builder.build()
}

/** A copy of this recipe with what [block] declares changed: `r.copy { training { steps = 60 } }`. */
public fun Recipe.copy(block: RecipeScope.() -> Unit): Recipe {
    val builder = toBuilder()
    RecipeScope(builder).block()
    return builder.build()
}
