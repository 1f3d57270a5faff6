package org.unet4j.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UnionFindTest {
  @Test
  void rootsAreTheSmallestIdOfEachSet() {
    UnionFind sets = new UnionFind();
    for (int i = 0; i < 6; i++) {
      sets.add();
    }
    assertEquals(6, sets.size());
    assertEquals(5, sets.union(5, 3), "the larger root stops being one");
    assertEquals(6, sets.union(6, 4));
    assertEquals(4, sets.union(6, 3), "4 and 3 were the roots; 4 joins 3");
    assertEquals(0, sets.union(5, 4), "already one set");
    assertEquals(3, sets.find(6));
    assertEquals(3, sets.find(5));
    assertEquals(1, sets.find(1));
    assertEquals(2, sets.find(2));
  }

  @Test
  void randomUnionsAgreeWithRelabellingEveryMemberByHand() {
    Random random = new Random(7);
    int n = 301;
    UnionFind sets = new UnionFind();
    int[] set = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      assertEquals(i, sets.add());
      set[i] = i;
    }
    for (int k = 0; k < 250; k++) {
      int a = 1 + random.nextInt(n);
      int b = 1 + random.nextInt(n);
      sets.union(a, b);
      // The naive reference: every member of the larger-named set takes the smaller name.
      int keep = Math.min(set[a], set[b]);
      int drop = Math.max(set[a], set[b]);
      for (int i = 1; i <= n; i++) {
        if (set[i] == drop) {
          set[i] = keep;
        }
      }
    }
    for (int i = 1; i <= n; i++) {
      assertEquals(set[i], sets.find(i), "id " + i);
      assertTrue(sets.find(i) <= i);
    }
  }

  @Test
  void idsNotAddedAreRefused() {
    UnionFind sets = new UnionFind();
    sets.add();
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> sets.find(2));
    assertTrue(e.getMessage().contains("id"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> sets.find(0));
  }
}
