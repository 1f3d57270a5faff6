package org.unet4j.dsl.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WeightedLossLookupTest {
  private static final WeightedCrossEntropyLoss WEIGHTED =
      new WeightedCrossEntropyLoss(20, 3, ClassBalance.NONE, List.of());

  @Test
  void theLossItself() {
    assertEquals(Optional.of(WEIGHTED), WeightedCrossEntropyLoss.findIn(WEIGHTED));
  }

  @Test
  void aTermOfACombinedLossNestedOrNot() {
    CombinedLoss inner = new CombinedLoss(List.of(new LossTerm(1, new DiceLoss(1)), new LossTerm(2, WEIGHTED)));
    CombinedLoss outer = new CombinedLoss(List.of(new LossTerm(0.5, new FocalLoss(2)), new LossTerm(1, inner)));
    assertEquals(Optional.of(WEIGHTED), WeightedCrossEntropyLoss.findIn(inner));
    assertEquals(Optional.of(WEIGHTED), WeightedCrossEntropyLoss.findIn(outer));
  }

  @Test
  void noneWhenTheLossTakesNoWeightMap() {
    assertEquals(Optional.empty(), WeightedCrossEntropyLoss.findIn(new CrossEntropyLoss()));
    assertEquals(Optional.empty(), WeightedCrossEntropyLoss.findIn(
        new CombinedLoss(List.of(new LossTerm(1, new DiceLoss(1)), new LossTerm(1, new FocalLoss(2))))));
  }

  @Test
  void replacedWhereFoundAndTheRestKept() {
    WeightedCrossEntropyLoss given = new WeightedCrossEntropyLoss(20, 3, ClassBalance.GIVEN, List.of(0.5, 2.0));
    CombinedLoss inner = new CombinedLoss(List.of(new LossTerm(1, new DiceLoss(1)), new LossTerm(2, WEIGHTED)));
    CombinedLoss outer = new CombinedLoss(List.of(new LossTerm(0.5, new FocalLoss(2)), new LossTerm(1, inner)));
    assertEquals(given, WeightedCrossEntropyLoss.replaceIn(WEIGHTED, given));
    assertEquals(new CombinedLoss(List.of(new LossTerm(0.5, new FocalLoss(2)), new LossTerm(1,
        new CombinedLoss(List.of(new LossTerm(1, new DiceLoss(1)), new LossTerm(2, given)))))),
        WeightedCrossEntropyLoss.replaceIn(outer, given));
    CrossEntropyLoss plain = new CrossEntropyLoss();
    assertEquals(plain, WeightedCrossEntropyLoss.replaceIn(plain, given));
  }
}
