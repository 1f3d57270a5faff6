package org.unet4j.kotlin

import org.unet4j.dsl.SpecException
import org.unet4j.dsl.model.ModelSpec
import org.unet4j.dsl.recipe.AugmentationSpec
import org.unet4j.dsl.recipe.DataSpec
import org.unet4j.dsl.recipe.InferenceSpec
import org.unet4j.dsl.recipe.LossSpec
import org.unet4j.dsl.recipe.Recipe
import org.unet4j.dsl.recipe.TrainingSpec

/**
 * The body of [recipe]: the parts of a recipe, each either assigned (`training = TrainingSpec.paper()`)
 * or changed in place (`training { steps = 60 }`). A problem in a changed part is reported with
 * its recipe path, as in a recipe file: `training.steps: expected 1..1000000000, got -5`.
 */
@Unet4jDsl
public class RecipeScope internal constructor(private val builder: Recipe.Builder) {
    /** Short name, e.g. `paper/isbi2012`. */
    public var name: String
        get() = builder.name()
        set(value) {
            builder.name(value)
        }

    /** What this recipe is for. */
    public var description: String
        get() = builder.description()
        set(value) {
            builder.description(value)
        }

    /** The net, usually `unet(...) { ... }`; reading it before it is set is an error. */
    public var model: ModelSpec
        get() = builder.model() ?: throw SpecException("model", "no model declared yet; set model = unet { ... } first")
        set(value) {
            builder.model(value)
        }

    /** The training loss: `weightedCrossEntropy()`, `dice()`, `combined { ... }`, ... */
    public var loss: LossSpec
        get() = builder.loss()
        set(value) {
            builder.loss(value)
        }

    public var augmentation: AugmentationSpec
        get() = builder.augmentation()
        set(value) {
            builder.augmentation(value)
        }

    public var training: TrainingSpec
        get() = builder.training()
        set(value) {
            builder.training(value)
        }

    public var data: DataSpec
        get() = builder.data()
        set(value) {
            builder.data(value)
        }

    public var inference: InferenceSpec
        get() = builder.inference()
        set(value) {
            builder.inference(value)
        }

    /** Adds transforms to the augmentation declared so far: `augmentation { elastic(); flip() }`. */
    public fun augmentation(block: AugmentationScope.() -> Unit) {
        builder.augmentation { AugmentationScope(it).block() }
    }

    /** Changes the training declared so far: `training { steps = 2000; adam(lr = 1e-3) }`. */
    public fun training(block: TrainingScope.() -> Unit) {
        builder.training { TrainingScope(it).block() }
    }

    /** Changes the data declared so far: `data { images = "train/images"; labels = "train/masks" }`. */
    public fun data(block: DataScope.() -> Unit) {
        builder.data { DataScope(it).block() }
    }

    /** Changes the inference settings declared so far: `inference { tile = 252; tta = DIHEDRAL }`. */
    public fun inference(block: InferenceScope.() -> Unit) {
        builder.inference { InferenceScope(it).block() }
    }
}
