package org.unet4j.recipes.eval;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The pair counts of the foreground-restricted Rand F-score (Arganda-Carreras et al. 2015, eq. 2
 * to 4), over the n truth-cell pixels, ordered pairs, each pixel paired with itself included.
 * With A the truth segments, B the proposal's segments (label 0 = proposal boundary, each such
 * pixel a segment of its own), c_ij = #(A = i, B = j) for j &gt;= 1, a_i the truth segment sizes,
 * b_j the proposal segment sizes within the truth cells and s = #(truth cell, B = 0):
 *
 * <ul>
 *   <li>{@code agreeing} = sum c_ij^2 + s: pairs together in both;
 *   <li>{@code proposalPairs} = sum b_j^2 + s: pairs together in the proposal;
 *   <li>{@code truthPairs} = sum a_i^2: pairs together in the truth.
 * </ul>
 *
 * <p>Counts of a stack are the sums over its slices. Exact in {@code long} up to 3 * 10^9 truth
 * pixels.
 */
public record RandCounts(long agreeing, long proposalPairs, long truthPairs) {
  public static final RandCounts ZERO = new RandCounts(0, 0, 0);

  public RandCounts {
    checkArgument(agreeing >= 0 && agreeing <= proposalPairs && agreeing <= truthPairs,
        "pairs together in both (%s) cannot exceed the pairs together in the proposal (%s) or the truth (%s)",
        agreeing, proposalPairs, truthPairs);
  }

  /** agreeing / proposalPairs; 1 when no pair is split by the truth but joined by the proposal. */
  public double precision() {
    return agreeing == proposalPairs ? 1 : (double) agreeing / proposalPairs;
  }

  /** agreeing / truthPairs; 1 when no pair is joined by the truth but split by the proposal. */
  public double recall() {
    return agreeing == truthPairs ? 1 : (double) agreeing / truthPairs;
  }

  /** 2PR / (P + R); 0 when P + R = 0. */
  public double fScore() {
    return FScore.of(precision(), recall());
  }

  public RandCounts plus(RandCounts other) {
    return new RandCounts(agreeing + other.agreeing, proposalPairs + other.proposalPairs,
        truthPairs + other.truthPairs);
  }
}
