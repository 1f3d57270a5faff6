/**
 * The evaluator: the ISBI 2012 EM segmentation challenge metrics exactly as the challenge's
 * official evaluation computes them (pixel error, Rand error, V_rand and V_info after border
 * thinning, warping error; Arganda-Carreras et al. 2015, Front. Neuroanat. 9:142; Jain et al.
 * 2010), and object-level scores for instance segmentation (foreground IoU, Dice, object F1 at
 * IoU 0.5 and a sweep to 0.95). Pure Java: no TensorFlow. The definitions are in
 * {@code docs/guide/metrics.md}.
 *
 * <p>{@link org.unet4j.recipes.eval.Evaluator} evaluates one image (or multi-page stack) and
 * {@link org.unet4j.recipes.eval.EvaluationSummary} collects images and their mean.
 */
@NullMarked
package org.unet4j.recipes.eval;

import org.jspecify.annotations.NullMarked;
