package org.unet4j.recipes.eval;

/**
 * The contingency table of the truth segments A and a proposal's segments B over the truth-cell
 * pixels only, and the two foreground-restricted scores built on it: the Rand pair counts
 * ({@link RandCounts}) and the information-theoretic score V_info (Arganda-Carreras et al. 2015,
 * eq. 5 to 7). Proposal label 0 is boundary: each such truth-cell pixel is a segment of its own.
 * One pass over the truth pixels, row by row of the table: O(n + labels).
 */
record ForegroundOverlap(RandCounts rand, double information) {

  /**
   * Compares {@code proposal} (row-major labels, 0 = boundary, 1..{@code proposalLabels}) with the
   * truth; V_info only when {@code withInformation} (it takes a logarithm per table cell), else NaN.
   */
  static ForegroundOverlap of(TruthSegments truth, int[] proposal, int proposalLabels, boolean withInformation) {
    int n = truth.n;
    int[] count = new int[proposalLabels + 1];
    int[] touched = new int[proposalLabels + 1];
    long[] column = new long[proposalLabels + 1];
    long singletons = 0;
    long sumC2 = 0;
    long sumA2 = 0;
    double plogpA = 0;
    double plogpAB = 0;
    for (int i = 1; i <= truth.segments; i++) {
      int distinct = 0;
      for (int k = truth.start[i - 1]; k < truth.start[i]; k++) {
        int j = proposal[truth.pixels[k]];
        if (j == 0) {
          singletons++;
        } else if (count[j]++ == 0) {
          touched[distinct++] = j;
        }
      }
      long a = truth.size(i);
      sumA2 += a * a;
      if (withInformation) {
        plogpA += plogp((double) a / n);
      }
      for (int t = 0; t < distinct; t++) {
        int j = touched[t];
        long c = count[j];
        count[j] = 0;
        sumC2 += c * c;
        column[j] += c;
        if (withInformation) {
          plogpAB += plogp((double) c / n);
        }
      }
    }
    long sumB2 = 0;
    double plogpB = 0;
    for (int j = 1; j <= proposalLabels; j++) {
      long b = column[j];
      sumB2 += b * b;
      if (withInformation && b > 0) {
        plogpB += plogp((double) b / n);
      }
    }
    RandCounts rand = new RandCounts(sumC2 + singletons, sumB2 + singletons, sumA2);
    if (!withInformation) {
      return new ForegroundOverlap(rand, Double.NaN);
    }
    // Each boundary pixel in the truth cells is a singleton: p = 1/n, -p log p = log(n) / n.
    double singletonEntropy = (double) singletons / n * Math.log(n);
    double hA = -plogpA;
    double hB = -plogpB + singletonEntropy;
    double hAB = -plogpAB + singletonEntropy;
    double score;
    if (hA == 0 || hB == 0) {
      score = 0;
    } else {
      double mutual = hA + hB - hAB;
      score = 2 * mutual / (hA + hB);
    }
    return new ForegroundOverlap(rand, score);
  }

  private static double plogp(double p) {
    return p * Math.log(p);
  }
}
