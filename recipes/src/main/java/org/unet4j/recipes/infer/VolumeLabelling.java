package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;
import org.unet4j.labels.UnionFind;

/**
 * The 6-connected components of a volume's foreground whose planes arrive one at a time, with the
 * labels the whole-volume labelling gives ({@link org.unet4j.labels.ConnectedComponents3d} after
 * the holes are filled: the same objects, numbered 1..n in raster order of their first voxel, those
 * under the minimum size dropped) and without holding the volume.
 *
 * <p><b>Pass 1</b> ({@link #addPlane}) gives every voxel a provisional id in one raster scan that
 * sees only the plane before: a foreground voxel takes the id of its neighbour before it along x,
 * y or z and joins the others' sets ({@link UnionFind}), or starts an id of its own. Ids are handed
 * out in raster order, so the root of a set, its smallest id, is where the set's first voxel is.
 * With hole filling the background gets ids the same way (6-connected too), each set remembering
 * whether it reaches a face of the volume, and the foreground sets each background set touches
 * are kept while it has reached none: it may be a hole. The ids of each plane are spilled to a
 * scratch file (4 bytes a voxel on disk) or, for a volume already in memory, kept there.
 *
 * <p><b>Resolving</b> ({@link #finish}): background sets that never reached a face are the holes
 * (background not 6-connected to the border); each joins the foreground sets it touches, which
 * thus become one object, as filling the holes first and then labelling would make them. Voxel
 * counts are summed per object; objects under the minimum size are dropped, the rest numbered by
 * their root.
 *
 * <p><b>Pass 2</b> ({@link #planes}) reads the ids back plane by plane and maps them to labels.
 *
 * <p><b>Memory</b>: three planes of ids (4 bytes a voxel of a plane each), about 20 bytes per
 * provisional id (an object gets at least one id in every plane it crosses, more where its cut
 * through a plane is in several pieces joined only further on), and with hole filling 8 bytes per
 * touching pair of a background set that has not yet reached a face and a foreground set (kept
 * deduplicated); not the volume.
 */
final class VolumeLabelling implements AutoCloseable {
  private final Size3 size;
  private final int width;
  private final int height;
  private final int plane;
  private final boolean fillHoles;
  private final int minObjectSize;
  private final @Nullable ScratchFile scratch;
  private final List<int[]> memory = new ArrayList<>();

  private final Sets foreground = new Sets();
  private final Sets background = new Sets();
  /** Background and foreground ids of 6-neighbours, while the background may be a hole. */
  private final HoleContacts contacts = new HoleContacts();
  private int[] previous;
  private int[] current;
  private int z;

  // After finish: labels of provisional ids.
  private int[] foregroundLabel = new int[0];
  private int[] backgroundLabel = new int[0];
  private int objects = -1;

  private VolumeLabelling(Size3 size, boolean fillHoles, int minObjectSize, @Nullable ScratchFile scratch) {
    checkArgument(minObjectSize >= 0, "minObjectSize must be >= 0, got %s", minObjectSize);
    this.size = size;
    this.width = size.x();
    this.height = size.y();
    this.plane = Math.multiplyExact(size.x(), size.y());
    this.fillHoles = fillHoles;
    this.minObjectSize = minObjectSize;
    this.scratch = scratch;
    this.previous = new int[plane];
    this.current = new int[plane];
  }

  /**
   * A labelling that spills the provisional ids to a scratch file in {@code folder} (the output
   * folder: it has room for the outputs), named after {@code name}; deleted by {@link #close}.
   */
  static VolumeLabelling spilled(Size3 size, boolean fillHoles, int minObjectSize, Path folder, String name) {
    checkNotNull(size, "size");
    return new VolumeLabelling(size, fillHoles, minObjectSize, ScratchFile.create(folder, name + ".ids"));
  }

  /** A labelling that keeps the provisional ids in memory, for a volume that is there already. */
  static VolumeLabelling inMemory(Size3 size, boolean fillHoles, int minObjectSize) {
    checkNotNull(size, "size");
    return new VolumeLabelling(size, fillHoles, minObjectSize, null);
  }

  /** Labels the next plane of the foreground, {@code size.y() * size.x()} values, row-major. */
  void addPlane(boolean[] mask) {
    checkState(objects < 0, "already finished");
    checkState(z < size.z(), "the volume has %s planes, all labelled", size.z());
    checkArgument(mask.length == plane, "a plane of %sx%s has %s voxels, got %s", width, height, plane, mask.length);
    boolean firstPlane = z == 0;
    boolean lastPlane = z == size.z() - 1;
    for (int i = 0, y = 0; y < height; y++) {
      for (int x = 0; x < width; x++, i++) {
        int left = x > 0 ? current[i - 1] : 0;
        int up = y > 0 ? current[i - width] : 0;
        int back = firstPlane ? 0 : previous[i];
        if (mask[i]) {
          int id = join(foreground, join(foreground, join(foreground, 0, left), up), back);
          if (id == 0) {
            id = foreground.add();
          }
          foreground.voxels[id]++;
          current[i] = id;
          if (fillHoles) {
            edge(-left, id);
            edge(-up, id);
            edge(-back, id);
          }
        } else if (fillHoles) {
          int id = join(background, join(background, join(background, 0, -left), -up), -back);
          if (id == 0) {
            id = background.add();
          }
          background.voxels[id]++;
          if (firstPlane || lastPlane || y == 0 || y == height - 1 || x == 0 || x == width - 1) {
            background.touchBorder(id);
          }
          current[i] = -id;
          edge(id, left);
          edge(id, up);
          edge(id, back);
        } else {
          current[i] = 0;
        }
      }
    }
    if (scratch != null) {
      scratch.writeInts(current, plane);
    } else {
      memory.add(current.clone());
    }
    int[] swap = previous;
    previous = current;
    current = swap;
    z++;
    contacts.compactIfDue(background.sets::find, background::reachesBorder, foreground.sets::find);
  }

  /** The id of a voxel whose neighbour of the same kind has id {@code neighbour} (if positive) and id {@code id} so far. */
  private static int join(Sets sets, int id, int neighbour) {
    if (neighbour <= 0) {
      return id;
    }
    if (id == 0) {
      return neighbour;
    }
    sets.union(id, neighbour);
    return id;
  }

  /** Remembers that background {@code b} touches foreground {@code f} (both positive), unless b reached the border. */
  private void edge(int b, int f) {
    if (b <= 0 || f <= 0) {
      return;
    }
    if (!background.reachesBorder(background.sets.find(b))) {
      contacts.add(b, f);
    }
  }

  /**
   * Resolves holes and objects after the last plane; returns the number of labels.
   *
   * @throws IllegalStateException when planes are missing
   */
  int finish() {
    checkState(z == size.z(), "the volume has %s planes but %s were labelled", size.z(), z);
    checkState(objects < 0, "already finished");
    if (scratch != null) {
      scratch.finishWriting();
    }
    contacts.compact(background.sets::find, background::reachesBorder, foreground.sets::find);
    // A hole joins every foreground set it touches into one object.
    int[] holeObject = contacts.holeObjects(background.size(), foreground::union);
    int[] holeRoot = new int[background.size() + 1];
    for (int id = 1; id <= background.size(); id++) {
      int root = background.sets.find(id);
      if (!background.reachesBorder(root)) {
        // Every voxel of a hole is inside the volume, so the hole has neighbours, all of them
        // foreground: it cannot have touched none.
        checkState(holeObject[root] != 0, "a hole of background id %s touches no foreground", root);
        holeRoot[id] = holeObject[root];
      }
    }
    long[] voxels = new long[foreground.size() + 1];
    for (int id = 1; id <= foreground.size(); id++) {
      voxels[foreground.sets.find(id)] += foreground.voxels[id];
    }
    for (int id = 1; id <= background.size(); id++) {
      if (holeRoot[id] != 0) {
        voxels[foreground.sets.find(holeRoot[id])] += background.voxels[id];
      }
    }
    // Roots in id order are objects in raster order of their first voxel.
    int[] labelOfRoot = new int[foreground.size() + 1];
    int kept = 0;
    for (int id = 1; id <= foreground.size(); id++) {
      if (foreground.sets.find(id) == id && (minObjectSize <= 1 || voxels[id] >= minObjectSize)) {
        labelOfRoot[id] = ++kept;
      }
    }
    foregroundLabel = new int[foreground.size() + 1];
    for (int id = 1; id <= foreground.size(); id++) {
      foregroundLabel[id] = labelOfRoot[foreground.sets.find(id)];
    }
    backgroundLabel = new int[background.size() + 1];
    for (int id = 1; id <= background.size(); id++) {
      if (holeRoot[id] != 0) {
        backgroundLabel[id] = labelOfRoot[foreground.sets.find(holeRoot[id])];
      }
    }
    objects = kept;
    return objects;
  }

  /** Reads the final labels a plane at a time, from plane 0; may be called more than once. */
  LabelPlanes planes() {
    checkState(objects >= 0, "not finished");
    return new LabelPlanes();
  }

  /** A pass over the final labels. */
  final class LabelPlanes implements AutoCloseable {
    private final ScratchFile.@Nullable Reader reader = scratch == null ? null : scratch.read();
    private final int[] ids = new int[plane];
    private int next;

    /** The next plane's labels into {@code labels} ({@code size.y() * size.x()} values). */
    void next(int[] labels) {
      checkState(next < size.z(), "all %s planes were read", size.z());
      int[] raw = ids;
      if (reader != null) {
        reader.readInts(raw, plane);
      } else {
        raw = memory.get(next);
      }
      next++;
      for (int i = 0; i < plane; i++) {
        int v = raw[i];
        labels[i] = v > 0 ? foregroundLabel[v] : v < 0 ? backgroundLabel[-v] : 0;
      }
    }

    @Override
    public void close() {
      if (reader != null) {
        reader.close();
      }
    }
  }

  @Override
  public void close() {
    if (scratch != null) {
      scratch.close();
    }
  }

  /** Provisional ids in a union-find forest, with the voxels counted at each id and, per root, whether the set reaches a face. */
  private static final class Sets {
    final UnionFind sets = new UnionFind();
    long[] voxels = new long[16];
    boolean[] border = new boolean[16];

    int size() {
      return sets.size();
    }

    /** A new id; ids are handed out in raster order of their first voxel. */
    int add() {
      int id = sets.add();
      if (id == voxels.length) {
        voxels = Arrays.copyOf(voxels, id * 2);
        border = Arrays.copyOf(border, id * 2);
      }
      return id;
    }

    /** Joins two sets; returns the root that stopped being one, or 0. */
    int union(int a, int b) {
      int child = sets.union(a, b);
      if (child != 0) {
        border[sets.find(a)] |= border[child];
      }
      return child;
    }

    void touchBorder(int id) {
      border[sets.find(id)] = true;
    }

    boolean reachesBorder(int root) {
      return border[root];
    }
  }
}
