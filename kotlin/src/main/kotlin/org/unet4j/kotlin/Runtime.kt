package org.unet4j.kotlin

import java.io.PrintStream
import java.nio.file.Path
import java.util.random.RandomGenerator
import org.unet4j.augment.Augmentation
import org.unet4j.augment.Tile
import org.unet4j.dsl.recipe.InferenceSpec
import org.unet4j.dsl.recipe.LabelFormat
import org.unet4j.dsl.recipe.Recipe
import org.unet4j.losses.Loss
import org.unet4j.recipes.data.Image
import org.unet4j.recipes.data.ImageIo
import org.unet4j.recipes.data.LabelledImage
import org.unet4j.recipes.data.Volume
import org.unet4j.recipes.eval.EvaluationReport
import org.unet4j.recipes.eval.FileEvaluation
import org.unet4j.recipes.eval.ObjectSource
import org.unet4j.recipes.eval.StackScoring
import org.unet4j.recipes.infer.Model
import org.unet4j.recipes.infer.ObjectOutput
import org.unet4j.recipes.infer.PredictedImage
import org.unet4j.recipes.infer.ProbabilityMap
import org.unet4j.recipes.infer.Segmentation
import org.unet4j.recipes.infer.VolumeSegmentation
import org.unet4j.recipes.train.EarlyStopping
import org.unet4j.recipes.train.SampleGenerator
import org.unet4j.recipes.train.StepEvent
import org.unet4j.recipes.train.Training
import org.unet4j.recipes.train.TrainingData
import org.unet4j.recipes.train.TrainingListener
import org.unet4j.recipes.train.TrainingResult
import org.unet4j.recipes.train.ValidationEvent
import org.unet4j.recipes.train.ValidationMetric

/*
 * Kotlin faces of the runtime's Java API (Training, Model, FileEvaluation): the same calls with
 * named arguments, trailing lambdas and Kotlin arrays. Nothing here decides anything of its own.
 */

/**
 * Trains this recipe into the run directory [dir], as `unet4j train` does; [block] sets what
 * differs from the recipe: data, loss, augmentation, listeners.
 *
 * ```
 * val result = recipe.train(Path.of("runs/nuclei")) {
 *     data(images)                                   // default: the recipe's data spec
 *     loss { tf, inputs -> myLoss(tf, inputs) }
 *     onStep { println("step ${it.step()}: ${it.loss()}") }
 *     earlyStopping(ValidationMetric.IOU, patience = 5)
 * }
 * ```
 */
public fun Recipe.train(dir: Path, block: TrainingRunScope.() -> Unit = {}): TrainingResult {
    val training = Training.of(this)
    TrainingRunScope(training).block()
    return training.run(dir)
}

/** What a [train] call may change of the recipe's training: each call wraps one of [Training]'s. */
@Unet4jDsl
public class TrainingRunScope internal constructor(private val training: Training) {

    /** Images and labels from [source] (the recipe's data spec by default). */
    public fun data(source: TrainingData) {
        training.data(source)
    }

    /** Images in memory for training, and others for the validation scores. */
    public fun data(images: List<LabelledImage>, validation: List<LabelledImage> = emptyList()) {
        training.data(TrainingData.of(images, validation))
    }

    /** A new image from [generator] for every batch slot: image `n` must depend on `n` alone. */
    public fun generated(validation: List<LabelledImage> = emptyList(), generator: (Long) -> LabelledImage) {
        training.data(TrainingData.generated(SampleGenerator { n -> generator(n) }, validation))
    }

    /** Minimise [loss] instead of the recipe's loss: `loss { tf, inputs -> ... }`. */
    public fun loss(loss: Loss) {
        training.loss(loss)
    }

    /** Changes every training tile after the recipe's augmentation, in place. */
    public fun augment(augmentation: (tile: Tile, random: RandomGenerator) -> Unit) {
        training.augmentation(Augmentation { tile, random -> augmentation(tile, random) })
    }

    /** Called after every step. */
    public fun onStep(action: (StepEvent) -> Unit) {
        training.listener(TrainingListener.onEveryStep { action(it) })
    }

    /** Called after every validation (`training.validateEvery`). */
    public fun onValidation(action: (ValidationEvent) -> Unit) {
        training.listener(TrainingListener.onEveryValidation { action(it) })
    }

    /** Observes steps and validations. */
    public fun listener(listener: TrainingListener) {
        training.listener(listener)
    }

    /** Ends the run when [metric] has not improved by more than [minDelta] for [patience] validations. */
    public fun earlyStopping(metric: ValidationMetric = ValidationMetric.LOSS, patience: Int, minDelta: Double = 0.0) {
        training.listener(EarlyStopping.on(metric, patience, minDelta))
    }

    /** Progress lines go to [out]. */
    public fun console(out: PrintStream) {
        training.console(out)
    }

    /** Threads that load images and draw tiles (all cores by default). */
    public fun threads(count: Int) {
        training.threads(count)
    }

    /** Continue the run in the directory from its newest good checkpoint. */
    public fun resume(restartWhenNoCheckpointIsUsable: Boolean = false) {
        training.resume(true).restart(restartWhenNoCheckpointIsUsable)
    }
}

/**
 * The model at [path] (a run directory, a checkpoint or an export), predicting with [inference]
 * or its recipe's settings, for the length of [block]: the model's TensorFlow session is closed
 * after it.
 */
public fun <T> withModel(path: Path, inference: InferenceSpec? = null, block: (Model) -> T): T {
    val model = if (inference == null) Model.load(path) else Model.load(path, inference)
    return model.use(block)
}

/** The probability map and instances of the image file [image] (its first page), in memory. */
public fun Model.predict(image: Path): Segmentation = predict(ImageIo.read(image))

/** The probabilities and instances of the TIFF stack [stack], one volume for a 3D net, in memory. */
public fun Model.predictVolume(stack: Path): VolumeSegmentation = predict(Volume.read(stack))

/**
 * Predicts the files into [folder] as `NAME_prob.tif`, `NAME_labels.tif`, `NAME_overlay.png`, and
 * [objectOutputs] (`NAME_rois.zip`, `NAME_objects.csv`) when asked for.
 */
public fun Model.predictFiles(
    files: List<Path>,
    folder: Path,
    objectOutputs: Set<ObjectOutput> = emptySet(),
): List<PredictedImage> = predictAll(files, folder, objectOutputs)

/** Class [k]'s probabilities as rows: `probabilities(1)[y][x]`. */
public fun ProbabilityMap.rows(k: Int): Array<FloatArray> {
    val values = channel(k)
    return Array(height()) { y -> values.copyOfRange(y * width(), (y + 1) * width()) }
}

/** The instance label of every pixel as rows, 0 for background: `labels()[y][x]`. */
public fun Segmentation.labels(): Array<IntArray> {
    val values = instances().toArray()
    val width = instances().width()
    return Array(instances().height()) { y -> values.copyOfRange(y * width, (y + 1) * width) }
}

/** Channel [c] of the image as rows: `rows(0)[y][x]`. */
public fun Image.rows(c: Int = 0): Array<FloatArray> {
    val values = channel(c)
    return Array(height()) { y -> values.copyOfRange(y * width(), (y + 1) * width()) }
}

/**
 * Scores the predictions [prediction] (a file or folder) against the truth [truth], as
 * `unet4j evaluate` does: the ISBI metrics at their best thresholds and the object scores; stacks
 * page by page, or each as one volume with [stacks] `StackScoring.VOLUME` (a 3D net's predictions).
 * [ignoreLabel] (negative: none) is the truth value left out of every score, for index labels
 * ([truthFormat] `LabelFormat.INDEX`) and volumes.
 */
public fun evaluate(
    truth: Path,
    prediction: Path,
    truthFormat: LabelFormat? = null,
    threshold: Double = 0.5,
    objects: ObjectSource = ObjectSource.AUTO,
    stacks: StackScoring = StackScoring.SLICES,
    ignoreLabel: Int = -1,
): EvaluationReport =
    FileEvaluation.of(truthFormat).threshold(threshold).objects(objects).stacks(stacks).ignoreLabel(ignoreLabel)
        .evaluate(truth, prediction)
