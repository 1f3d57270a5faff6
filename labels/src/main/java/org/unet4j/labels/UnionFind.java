package org.unet4j.labels;

import static com.google.common.base.Preconditions.checkElementIndex;

import java.util.Arrays;

/**
 * Disjoint sets of the ids 1..{@link #size()}, added one at a time: the bookkeeping of labelling
 * that sees an image or volume a part at a time and learns only later that two provisional labels
 * belong to one object. The root of a set is always its smallest id, so a labelling that hands out
 * ids in raster order finds the first voxel of every set at its root. Finding uses path halving;
 * with unions by smallest id, a find costs O(log n) amortised, ample for the few ids per object
 * and plane that streamed labelling creates. Memory: 4 bytes per id.
 */
public final class UnionFind {
  private int[] parent = new int[16];
  private int size;

  /** Adds a set of its own for the next id, {@link #size()} + 1, and returns it. */
  public int add() {
    int id = ++size;
    if (id == parent.length) {
      parent = Arrays.copyOf(parent, parent.length * 2);
    }
    parent[id] = id;
    return id;
  }

  /** The ids added so far: 1..size. */
  public int size() {
    return size;
  }

  /** The root (smallest id) of the set of {@code id}. */
  public int find(int id) {
    checkElementIndex(id - 1, size, "id");
    int i = id;
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /**
   * Joins the sets of {@code a} and {@code b}; returns the root that stopped being one (the larger),
   * so that a caller can fold what it keeps per root into the one that stays, or 0 when they were
   * already one set.
   */
  public int union(int a, int b) {
    int ra = find(a);
    int rb = find(b);
    if (ra == rb) {
      return 0;
    }
    int root = Math.min(ra, rb);
    int child = Math.max(ra, rb);
    parent[child] = root;
    return child;
  }
}
