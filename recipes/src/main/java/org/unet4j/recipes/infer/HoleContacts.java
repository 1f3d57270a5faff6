package org.unet4j.recipes.infer;

import java.util.Arrays;
import java.util.function.IntBinaryOperator;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * The pairs of a background set and a foreground set that touch, found by labelling that sees an
 * image or volume a part at a time ({@link BandLabelling}, {@link VolumeLabelling}), kept while the
 * background may still turn out to be a hole: once it reaches the border it is dropped. After the
 * last part, each hole joins the foreground sets it touches into one object ({@link #holeObjects}).
 * Pairs are stored as background id << 32 | foreground id, deduplicated when there are twice as
 * many as after the last compaction: memory stays about 8 bytes per distinct touching pair of a
 * possible hole.
 */
final class HoleContacts {
  private long[] pairs = new long[1024];
  private int count;
  private int atCompaction = 1024;

  /** Remembers that background id {@code b} touches foreground id {@code f} (both positive). */
  void add(int b, int f) {
    long pair = (long) b << 32 | f;
    if (count > 0 && pairs[count - 1] == pair) {
      return;
    }
    if (count == pairs.length) {
      pairs = Arrays.copyOf(pairs, count * 2);
    }
    pairs[count++] = pair;
  }

  /** {@link #compact} once the pairs have doubled since the last compaction. */
  void compactIfDue(IntUnaryOperator backgroundRoot, IntPredicate reachesBorder, IntUnaryOperator foregroundRoot) {
    if (count > 2 * atCompaction) {
      compact(backgroundRoot, reachesBorder, foregroundRoot);
    }
  }

  /**
   * Replaces the ids by their roots, drops the pairs whose background root reaches the border and
   * those seen twice.
   */
  void compact(IntUnaryOperator backgroundRoot, IntPredicate reachesBorder, IntUnaryOperator foregroundRoot) {
    int kept = 0;
    for (int i = 0; i < count; i++) {
      int b = backgroundRoot.applyAsInt((int) (pairs[i] >>> 32));
      if (!reachesBorder.test(b)) {
        pairs[kept++] = (long) b << 32 | foregroundRoot.applyAsInt((int) pairs[i]);
      }
    }
    Arrays.sort(pairs, 0, kept);
    int distinct = 0;
    for (int i = 0; i < kept; i++) {
      if (distinct == 0 || pairs[i] != pairs[distinct - 1]) {
        pairs[distinct++] = pairs[i];
      }
    }
    count = distinct;
    atCompaction = Math.max(1024, distinct);
  }

  /**
   * After a {@link #compact}: per background root 1..backgrounds, a foreground id it touches (0 for
   * none, as for every set that reaches the border), joining through {@code union} every other
   * foreground set it touches to that one.
   */
  int[] holeObjects(int backgrounds, IntBinaryOperator union) {
    int[] object = new int[backgrounds + 1];
    for (int i = 0; i < count; i++) {
      int b = (int) (pairs[i] >>> 32);
      int f = (int) pairs[i];
      if (object[b] == 0) {
        object[b] = f;
      } else {
        union.applyAsInt(object[b], f);
      }
    }
    return object;
  }
}
