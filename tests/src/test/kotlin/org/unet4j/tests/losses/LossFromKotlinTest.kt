package org.unet4j.tests.losses

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.tensorflow.Graph
import org.tensorflow.Session
import org.tensorflow.op.Ops
import org.tensorflow.types.TFloat32
import org.unet4j.dsl.model.OutputActivation
import org.unet4j.dsl.recipe.CrossEntropyLoss
import org.unet4j.losses.Loss
import org.unet4j.losses.LossInputs
import org.unet4j.losses.Losses

/** A user loss is a Kotlin lambda, and it combines with the built-in ones. */
class LossFromKotlinTest {
    @Test
    fun `a user loss written as a lambda`() {
        // Mean squared logit: for logits (1, -3) and (2, 0) it is (1 + 9 + 4 + 0) / 4 = 3.5.
        val meanSquare = Loss { tf, inputs -> tf.math.mean(tf.math.square(inputs.logits()), tf.constant(intArrayOf(0, 1, 2, 3))) }
        // Plain cross-entropy of the same pixels with labels 0 and 1:
        // log(1 + e^-4) + log(1 + e^2), averaged over the two pixels.
        val both = Loss { tf, inputs ->
            tf.math.add(meanSquare.build(tf, inputs), Losses.of(CrossEntropyLoss()).build(tf, inputs))
        }
        Graph().use { graph ->
            val tf = Ops.create(graph)
            val logits = tf.constant(arrayOf(arrayOf(arrayOf(floatArrayOf(1f, -3f), floatArrayOf(2f, 0f)))))
            val labels = tf.constant(arrayOf(arrayOf(intArrayOf(0, 1))))
            val inputs = LossInputs.unweighted(tf, logits, labels, 2, OutputActivation.SOFTMAX)
            val square = meanSquare.build(tf, inputs)
            val total = both.build(tf, inputs)
            Session(graph).use { session ->
                session.runner().fetch(square).fetch(total).run().use { result ->
                    val crossEntropy = (Math.log(1 + Math.exp(-4.0)) + Math.log(1 + Math.exp(2.0))) / 2
                    assertEquals(3.5, (result.get(0) as TFloat32).getFloat().toDouble(), 1e-6)
                    assertEquals(3.5 + crossEntropy, (result.get(1) as TFloat32).getFloat().toDouble(), 1e-5)
                }
            }
        }
    }
}
