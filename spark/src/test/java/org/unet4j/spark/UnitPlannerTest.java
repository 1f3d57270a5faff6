package org.unet4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.UNet;

class UnitPlannerTest {
  /** Depth 2 at tile 60: 20 output pixels a tile, step 20. */
  private static final Tiling TILING = Tiling.of(UNet.builder().depth(2).baseFilters(4).build(), 60);

  private static ImageSurvey survey(String name, PageSize... pages) {
    return new ImageSurvey(new InputImage(name, "/in/" + name + ".tif"), ImageSurvey.State.PENDING,
        ImmutableList.copyOf(pages), null, null, 0);
  }

  private static List<String> describe(List<WorkUnit> units) {
    List<String> out = new ArrayList<>();
    for (WorkUnit u : units) {
      out.add(u.describe() + " (" + u.cost() + ")");
    }
    return out;
  }

  @Test
  void imagesWithinTheBudgetStayWhole() {
    UnitPlanner planner = new UnitPlanner(TILING, 1, 1, true);
    // 41 x 20: 3 x 1 tiles; 20 x 20: 1 tile.
    List<WorkUnit> units = planner.plan(List.of(survey("a", new PageSize(41, 20)), survey("b", new PageSize(20, 20))),
        3);
    assertEquals(List.of("a.tif (3)", "b.tif (1)"), describe(units));
    assertEquals(WorkUnit.Kind.IMAGE, units.get(0).kind());
  }

  /** A net of 3 or more classes writes class files that need whole pages: its images are never split. */
  @Test
  void aNetOfThreeClassesKeepsEveryImageWhole() {
    assertEquals(9, SparkPrediction.unitBudget(2, 9, 1000, 4), "the budget given");
    assertEquals(UnitPlanner.automaticBudget(1000, 4), SparkPrediction.unitBudget(2, 0, 1000, 4));
    long budget = SparkPrediction.unitBudget(3, 9, 1000, 4);
    ImageSurvey stack = survey("s", new PageSize(100, 90), new PageSize(40, 40));
    List<WorkUnit> units = new UnitPlanner(TILING, 1, 1, true).plan(List.of(stack), budget);
    assertEquals(List.of("s.tif (29)"), describe(units));
    assertEquals(WorkUnit.Kind.IMAGE, units.get(0).kind());
  }

  @Test
  void stacksOverTheBudgetBecomeRunsOfPages() {
    UnitPlanner planner = new UnitPlanner(TILING, 1, 1, true);
    // Pages of 2 x 2 = 4 tiles, except the third (1 tile): consecutive pages while they fit the budget.
    ImageSurvey stack = survey("s", new PageSize(40, 40), new PageSize(40, 40), new PageSize(20, 20),
        new PageSize(40, 40), new PageSize(40, 40));
    assertEquals(List.of("s.tif pages 1-3 (9)", "s.tif pages 4-5 (8)"), describe(planner.plan(List.of(stack), 9)));
    assertEquals(List.of("s.tif page 1 (4)", "s.tif pages 2-3 (5)", "s.tif page 4 (4)", "s.tif page 5 (4)"),
        describe(planner.plan(List.of(stack), 5)));
  }

  @Test
  void pagesOverTheBudgetBecomeBandsOfWholeTileRows() {
    // 100 x 90: 5 columns, 5 tile rows (the last one 10 rows high); mirrors: 4 copies a tile.
    ImageSurvey big = survey("big", new PageSize(100, 90));
    UnitPlanner planner = new UnitPlanner(TILING, 4, 1, true);
    assertEquals(List.of("big.tif rows 0-39 (40)", "big.tif rows 40-79 (40)", "big.tif rows 80-89 (20)"),
        describe(planner.plan(List.of(big), 45)));
    // A budget below one tile row still gives one row a band.
    assertEquals(5, planner.plan(List.of(big), 1).size());
    // Without bands it stays whole.
    assertEquals(List.of("big.tif (100)"), describe(new UnitPlanner(TILING, 4, 1, false).plan(List.of(big), 45)));
    // A stack's oversized page is cut into bands between runs of pages.
    ImageSurvey stack = survey("s", new PageSize(20, 20), new PageSize(100, 90), new PageSize(20, 20));
    assertEquals(List.of("s.tif page 1 (4)", "s.tif page 2 rows 0-39 (40)", "s.tif page 2 rows 40-79 (40)",
        "s.tif page 2 rows 80-89 (20)", "s.tif page 3 (4)"), describe(planner.plan(List.of(stack), 45)));
  }

  /** Bands fill whole batches: 5 columns in batches of 4 need multiples of 4 tile rows. */
  @Test
  void bandsHoldWholeBatches() {
    assertEquals(4, UnitPlanner.bandAlignment(5, 4));
    assertEquals(2, UnitPlanner.bandAlignment(6, 4));
    assertEquals(1, UnitPlanner.bandAlignment(8, 4));
    assertEquals(1, UnitPlanner.bandAlignment(7, 1));
    // 100 x 190: 5 columns, 10 tile rows; budget 10 tiles = 2 rows, rounded up to 4.
    List<WorkUnit> units = new UnitPlanner(TILING, 1, 4, true).plan(List.of(survey("t", new PageSize(100, 190))), 10);
    assertEquals(List.of("t.tif rows 0-79 (20)", "t.tif rows 80-159 (20)", "t.tif rows 160-189 (10)"),
        describe(units));
  }

  @Test
  void theAutomaticBudgetGivesEachSlotAboutFourUnits() {
    assertEquals(100, UnitPlanner.automaticBudget(800, 2));
    assertEquals(101, UnitPlanner.automaticBudget(801, 2));
    assertEquals(1, UnitPlanner.automaticBudget(0, 8));
  }

  /** Longest first onto the least loaded task: 7, 5, 4, 3, 3, 2 on 3 tasks -> {7, 2}, {5, 3}, {4, 3}. */
  @Test
  void tasksAreBalancedLongestFirst() {
    List<WorkUnit> units = new ArrayList<>();
    int i = 0;
    for (long cost : new long[] {3, 7, 2, 5, 3, 4}) {
      units.add(new WorkUnit(new InputImage("u" + i, "/in/u" + i + ".tif"), WorkUnit.Kind.IMAGE, 1, 0, 1, 0, 1, cost,
          null));
      i++;
    }
    List<List<WorkUnit>> tasks = UnitPlanner.tasks(units, 3);
    List<List<Long>> costs = tasks.stream().map(t -> t.stream().map(WorkUnit::cost).toList()).toList();
    assertEquals(List.of(List.of(7L, 2L), List.of(5L, 3L), List.of(4L, 3L)), costs);
    assertEquals(2, UnitPlanner.tasks(units.subList(0, 2), 8).size());
  }

  @Test
  void volumesOverTheBudgetBecomeRangesOfWholeSlabs() {
    // 20x22x22 tiles of a 3D net give 4x6x6 voxels: 11 planes of 9 x 8 are 3 slabs of 2 x 2 tiles;
    // with the 8 mirrors a slab costs 32 tiles.
    VolumeTiling volumes = VolumeTiling.of(UNet.builder().dimensions(3).contracting(c -> c.stage(2)).bottleneck(4)
        .build(), new Size3(20, 22, 22));
    PageSize plane = new PageSize(8, 9);
    PageSize[] planes = new PageSize[11];
    Arrays.fill(planes, plane);
    ImageSurvey volume = survey("v", planes);
    UnitPlanner planner = new UnitPlanner(TILING, 8, 1, false, volumes);
    assertEquals(List.of("v.tif (96)"), describe(planner.plan(List.of(volume), 96)));
    assertEquals(List.of("v.tif planes 1-8 (64)", "v.tif planes 9-11 (32)"),
        describe(planner.plan(List.of(volume), 70)));
    // A budget below one slab still gives each slab a unit of its own.
    List<WorkUnit> slabs = planner.plan(List.of(volume), 10);
    assertEquals(List.of("v.tif planes 1-4 (32)", "v.tif planes 5-8 (32)", "v.tif planes 9-11 (32)"),
        describe(slabs));
    assertEquals(WorkUnit.Kind.PLANES, slabs.get(0).kind());
  }
}
