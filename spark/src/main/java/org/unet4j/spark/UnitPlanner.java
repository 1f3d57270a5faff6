package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.model.Size3;

/**
 * Cuts images into work units of about equal cost, so that one huge image or stack does not
 * serialize the job: an image whose tiles fit a unit's budget stays whole (the cheapest: no part
 * files), a stack over the budget becomes runs of consecutive pages, and a page over the budget
 * becomes bands of whole tile rows when row bands are enabled. The cost of a page is the tiles the
 * predictor runs for it, test-time copies included ({@link Tiling#tileCount}), which is what the
 * time goes into.
 */
final class UnitPlanner {
  /** Units per task slot that the automatic budget aims at: enough for the slots to even out. */
  static final int UNITS_PER_SLOT = 4;
  /** Tasks per task slot at most: more tasks balance better, fewer cost less scheduling. */
  static final int TASKS_PER_SLOT = 64;

  private final Tiling tiling;
  private final int copies;
  private final int batchSize;
  private final boolean rowBands;
  private final @Nullable VolumeTiling volumes;

  /**
   * @param tiling the predictor's tile layout
   * @param copies test-time copies per tile (1, 4 or 8)
   * @param batchSize the tiles the predictor runs together
   * @param rowBands whether pages over the budget are cut into row bands
   */
  UnitPlanner(Tiling tiling, int copies, int batchSize, boolean rowBands) {
    this(tiling, copies, batchSize, rowBands, null);
  }

  /**
   * A planner of volumes when {@code volumes} is given (a 3D net's layout): each image is one
   * volume, its pages the planes, kept whole within the budget and otherwise cut into ranges of
   * whole slabs ({@link VolumeTiling#slabBoundaries}), each predicted to a part file and the
   * volume assembled from them by the library.
   */
  UnitPlanner(Tiling tiling, int copies, int batchSize, boolean rowBands, @Nullable VolumeTiling volumes) {
    checkNotNull(tiling, "tiling");
    checkArgument(copies >= 1, "copies must be >= 1, got %s", copies);
    checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
    this.tiling = tiling;
    this.copies = copies;
    this.batchSize = batchSize;
    this.rowBands = rowBands;
    this.volumes = volumes;
  }

  long pageCost(PageSize page) {
    return tiling.tileCount(page.width(), page.height()) * copies;
  }

  long imageCost(ImageSurvey survey) {
    if (volumes != null) {
      return volumes.tileCount(volumeSize(survey)) * copies;
    }
    return survey.pages().stream().mapToLong(this::pageCost).sum();
  }

  /** The budget that gives each of {@code slots} task slots about {@value #UNITS_PER_SLOT} units. */
  static long automaticBudget(long totalCost, int slots) {
    checkArgument(slots >= 1, "slots must be >= 1, got %s", slots);
    long units = (long) slots * UNITS_PER_SLOT;
    return Math.max(1, (totalCost + units - 1) / units);
  }

  /** The units of {@code images}, each image's in page and row order. */
  List<WorkUnit> plan(List<ImageSurvey> images, long budget) {
    checkArgument(budget >= 1, "budget must be >= 1 tile, got %s", budget);
    List<WorkUnit> units = new ArrayList<>();
    for (ImageSurvey survey : images) {
      checkArgument(survey.state() == ImageSurvey.State.PENDING, "%s is not to be predicted", survey.image().name());
      InputImage image = survey.image();
      int pages = survey.pages().size();
      long cost = imageCost(survey);
      if (volumes != null && cost > budget) {
        planes(units, survey, budget);
        continue;
      }
      if (cost <= budget || (pages == 1 && !rowBands)) {
        units.add(new WorkUnit(image, WorkUnit.Kind.IMAGE, pages, 0, pages, 0, survey.firstPage().height(), cost,
            null));
        continue;
      }
      int start = 0;
      long sum = 0;
      for (int page = 0; page < pages; page++) {
        long pageCost = pageCost(survey.pages().get(page));
        if (pageCost > budget && rowBands) {
          addPages(units, survey, start, page, sum);
          rows(units, survey, page, budget);
          start = page + 1;
          sum = 0;
          continue;
        }
        if (sum > 0 && sum + pageCost > budget) {
          addPages(units, survey, start, page, sum);
          start = page;
          sum = 0;
        }
        sum += pageCost;
      }
      addPages(units, survey, start, pages, sum);
    }
    return units;
  }

  private static Size3 volumeSize(ImageSurvey survey) {
    return new Size3(survey.pages().size(), survey.firstPage().height(), survey.firstPage().width());
  }

  /** Ranges of whole slabs of a volume, each within the budget where one slab is. */
  private void planes(List<WorkUnit> units, ImageSurvey survey, long budget) {
    VolumeTiling layout = Objects.requireNonNull(volumes);
    Size3 size = volumeSize(survey);
    long slabCost = (long) layout.y().tilesAlong(size.y()) * layout.x().tilesAlong(size.x()) * copies;
    int slabs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / slabCost));
    List<Integer> cuts = layout.slabBoundaries(size.z(), slabs);
    for (int i = 0; i + 1 < cuts.size(); i++) {
      int from = cuts.get(i);
      int to = cuts.get(i + 1);
      units.add(new WorkUnit(survey.image(), WorkUnit.Kind.PLANES, size.z(), from, to, 0, size.y(),
          slabCost * layout.slabs(to - from), null));
    }
  }

  private static void addPages(List<WorkUnit> units, ImageSurvey survey, int from, int to, long cost) {
    if (from < to) {
      units.add(new WorkUnit(survey.image(), WorkUnit.Kind.PAGES, survey.pages().size(), from, to, 0,
          survey.pages().get(from).height(), cost, null));
    }
  }

  /**
   * Bands of whole tile rows of {@code page}, each within the budget where it can be. A band holds
   * a multiple of {@link #bandAlignment} tile rows, so that its tiles go through the net in the
   * same batches as in a whole-page prediction: TensorFlow's sums then run in the same order and
   * the band's probabilities are the whole page's to the bit (without test-time augmentation).
   */
  private void rows(List<WorkUnit> units, ImageSurvey survey, int page, long budget) {
    PageSize size = survey.pages().get(page);
    int columns = tiling.tilesAlong(size.width());
    long rowCost = (long) columns * copies;
    int tileRows = tiling.tilesAlong(size.height());
    int align = bandAlignment(columns, batchSize);
    int band = (int) Math.max(align, Math.min(tileRows, budget / rowCost / align * align));
    for (int first = 0; first < tileRows; first += band) {
      int last = Math.min(tileRows, first + band);
      units.add(new WorkUnit(survey.image(), WorkUnit.Kind.ROWS, survey.pages().size(), page, page + 1,
          first * tiling.step(), Math.min(size.height(), last * tiling.step()), rowCost * (last - first), null));
    }
  }

  /**
   * The tile rows a band holds a multiple of, for pages {@code columns} tiles wide predicted
   * {@code batchSize} tiles at a time: the fewest rows whose tiles fill whole batches.
   */
  static int bandAlignment(int columns, int batchSize) {
    return batchSize / gcd(columns, batchSize);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /**
   * Packs units into at most {@code tasks} tasks of about equal cost, the most costly first (the
   * longest-processing-time rule): Spark starts tasks in order, so the long ones do not trail.
   */
  static List<List<WorkUnit>> tasks(List<WorkUnit> units, int tasks) {
    checkArgument(tasks >= 1, "tasks must be >= 1, got %s", tasks);
    List<WorkUnit> byCost = new ArrayList<>(units);
    byCost.sort(Comparator.comparingLong(WorkUnit::cost).reversed());
    int count = Math.min(tasks, byCost.size());
    List<Bin> bins = new ArrayList<>(count);
    PriorityQueue<Bin> lightest = new PriorityQueue<>(Comparator.comparingLong((Bin b) -> b.cost)
        .thenComparingInt(b -> b.index));
    for (int i = 0; i < count; i++) {
      Bin bin = new Bin(i);
      bins.add(bin);
      lightest.add(bin);
    }
    for (WorkUnit unit : byCost) {
      Bin bin = lightest.remove();
      bin.units.add(unit);
      bin.cost += unit.cost();
      lightest.add(bin);
    }
    bins.sort(Comparator.comparingLong((Bin b) -> b.cost).reversed().thenComparingInt(b -> b.index));
    return bins.stream().map(b -> List.copyOf(b.units)).toList();
  }

  private static final class Bin {
    final int index;
    final List<WorkUnit> units = new ArrayList<>();
    long cost;

    Bin(int index) {
      this.index = index;
    }
  }
}
