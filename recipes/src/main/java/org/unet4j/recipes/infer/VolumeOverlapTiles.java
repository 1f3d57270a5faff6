package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.unet4j.augment.Mirror;
import org.unet4j.dsl.geometry.Tiling;
import org.unet4j.dsl.geometry.VolumeTiling;
import org.unet4j.dsl.model.Size3;
import org.unet4j.recipes.data.NormalizationStats;
import org.unet4j.recipes.data.VolumeSource;

/**
 * The tile loop of {@link VolumePredictor}: slab by slab along z, the tiles of every transformed
 * copy ({@link VolumeTransform}) that cover the planes asked for, with mirrored borders along z, y
 * and x ({@link Mirror}, reflected again and again where a volume is thinner than the context).
 *
 * <p><b>Rounds.</b> Round {@code i} is slab {@code i} of every copy, counted in the order of the
 * source planes it writes: a copy mirrored along z counts its slabs from the last plane. After
 * round {@code i} every copy has written every plane below {@code i step_z} and none at or above
 * {@code (i + 1) step_z}, so a plane that all copies have written is finished and handed on, and
 * at most two slabs of planes are being summed at any time. The input planes a round reads (its
 * slabs plus the mirrored context) are the only ones kept, normalised. So memory is that of the
 * tile stack, whatever the volume's depth.
 *
 * <p><b>Batches</b> never mix rounds: a round's tiles are taken position by position in the plane
 * and, at each position, copy by copy, and cut into batches from the first. A run over some
 * planes therefore feeds the net exactly the batches a run over the whole volume feeds it for the
 * rounds both run, and adds them into the sums in the same order, so slabs predicted apart and put
 * together are bit-identical to the whole volume predicted at once.
 */
final class VolumeOverlapTiles {
  private final VolumeTiling tiling;
  private final TileModel model;
  private final int channels;
  private final int classes;
  private final int batchSize;

  VolumeOverlapTiles(VolumeTiling tiling, TileModel model, int channels, int classes, int batchSize) {
    checkArgument(tiling.z().stride() == 1 && tiling.y().stride() == 1 && tiling.x().stride() == 1,
        "volumes are predicted at the input's resolution only");
    this.tiling = tiling;
    this.model = model;
    this.channels = channels;
    this.classes = classes;
    this.batchSize = batchSize;
  }

  /** A consumer of finished planes of probabilities, in order along z. */
  @FunctionalInterface
  interface PlaneSink {
    /** Plane {@code z} of the volume: its rows and columns, all classes. */
    void accept(int z, ProbabilityMap plane);
  }

  /** Tiles predicted for planes {@code [fromZ, toZ)} of a volume of {@code size}, every copy counted. */
  long tileCount(Size3 size, List<VolumeTransform> transforms, int fromZ, int toZ) {
    long tiles = 0;
    for (int i = 0; i < tiling.slabs(size.z()); i++) {
      if (writes(i, size.z(), transforms, fromZ, toZ)) {
        for (VolumeTransform t : transforms) {
          Size3 j = t.size(size);
          tiles += (long) tiling.y().tilesAlong(j.y()) * tiling.x().tilesAlong(j.x());
        }
      }
    }
    return tiles;
  }

  /**
   * Predicts planes {@code [fromZ, toZ)} of {@code source}, normalised with {@code stats}, averaging
   * the copies {@code transforms}, and hands each finished plane to {@code sink} in order.
   */
  void predict(VolumeSource source, NormalizationStats stats, List<VolumeTransform> transforms, int fromZ, int toZ,
      PlaneSink sink, TileProgress progress) {
    Size3 size = source.size();
    checkArgument(0 <= fromZ && fromZ < toZ && toZ <= size.z(), "planes [%s, %s) of a volume of %s planes", fromZ,
        toZ, size.z());
    Run run = new Run(source, stats, transforms, fromZ, toZ, sink, progress);
    for (int i = 0; i < tiling.slabs(size.z()); i++) {
      if (writes(i, size.z(), transforms, fromZ, toZ)) {
        run.round(i);
      }
    }
  }

  /** The slab of {@code transform} that is {@code i}-th in the order of the source planes it writes. */
  private int slabAt(VolumeTransform transform, int i, int planes) {
    return transform.flipsZ() ? tiling.slabs(planes) - 1 - i : i;
  }

  /** The source planes {@code [from, to)} slab {@code k} of {@code transform} writes. */
  private int[] written(VolumeTransform transform, int k, int planes) {
    int step = tiling.z().step();
    int from = k * step;
    int to = Math.min(planes, from + step);
    return transform.flipsZ() ? new int[] {planes - to, planes - from} : new int[] {from, to};
  }

  private boolean writes(int i, int planes, List<VolumeTransform> transforms, int fromZ, int toZ) {
    for (VolumeTransform t : transforms) {
      int[] w = written(t, slabAt(t, i, planes), planes);
      if (w[0] < toZ && w[1] > fromZ) {
        return true;
      }
    }
    return false;
  }

  /** One prediction of some planes: the input planes held, the sums, the batch being filled. */
  private final class Run {
    private final VolumeSource source;
    private final NormalizationStats stats;
    private final List<VolumeTransform> transforms;
    private final int fromZ;
    private final int toZ;
    private final PlaneSink sink;
    private final TileProgress progress;
    private final Size3 size;
    private final Size3 tile;
    private final Size3 output;
    private final long total;
    private final Map<Integer, float[]> inputs = new HashMap<>();
    private final TreeMap<Integer, float[]> sums = new TreeMap<>();
    private final int[] contributions;
    private final float[] in;
    private final float[] out;
    private final List<int[]> pending = new ArrayList<>();
    private int next;
    private long done;

    Run(VolumeSource source, NormalizationStats stats, List<VolumeTransform> transforms, int fromZ, int toZ,
        PlaneSink sink, TileProgress progress) {
      this.source = source;
      this.stats = stats;
      this.transforms = transforms;
      this.fromZ = fromZ;
      this.toZ = toZ;
      this.sink = sink;
      this.progress = progress;
      this.size = source.size();
      this.tile = tiling.tile();
      this.output = tiling.outputSize();
      this.total = tileCount(size, transforms, fromZ, toZ);
      this.contributions = new int[toZ - fromZ];
      this.in = new float[Math.toIntExact(batchSize * tile.voxels() * channels)];
      this.out = new float[Math.toIntExact(batchSize * output.voxels() * classes)];
      this.next = fromZ;
    }

    void round(int i) {
      Tiling z = tiling.z();
      Set<Integer> needed = new HashSet<>();
      for (VolumeTransform t : transforms) {
        int origin = slabAt(t, i, size.z()) * z.step() - z.context();
        for (int d = 0; d < z.tile(); d++) {
          needed.add(t.sourcePlane(Mirror.index(origin + d, size.z()), size.z()));
        }
      }
      inputs.keySet().retainAll(needed);
      for (int plane : needed) {
        inputs.computeIfAbsent(plane, p -> stats.apply(source.plane(p)));
      }
      int positions = 0;
      for (VolumeTransform t : transforms) {
        positions = Math.max(positions, positions(t));
      }
      for (int m = 0; m < positions; m++) {
        for (int c = 0; c < transforms.size(); c++) {
          VolumeTransform t = transforms.get(c);
          if (m < positions(t)) {
            int columns = tiling.x().tilesAlong(t.size(size).x());
            pending.add(new int[] {c, slabAt(t, i, size.z()), m / columns, m % columns});
            if (pending.size() == batchSize) {
              flush();
            }
          }
        }
      }
      flush();
      for (VolumeTransform t : transforms) {
        int[] w = written(t, slabAt(t, i, size.z()), size.z());
        for (int p = Math.max(w[0], fromZ); p < Math.min(w[1], toZ); p++) {
          contributions[p - fromZ]++;
        }
      }
      while (next < toZ && contributions[next - fromZ] == transforms.size()) {
        float[] sum = sums.remove(next);
        for (int v = 0; v < sum.length; v++) {
          sum[v] /= transforms.size();
        }
        sink.accept(next, new ProbabilityMap(size.x(), size.y(), classes, sum));
        next++;
      }
    }

    /** Tile positions in a plane of copy {@code t}. */
    private int positions(VolumeTransform t) {
      Size3 j = t.size(size);
      return tiling.y().tilesAlong(j.y()) * tiling.x().tilesAlong(j.x());
    }

    private void flush() {
      if (pending.isEmpty()) {
        return;
      }
      int tileValues = Math.toIntExact(tile.voxels() * channels);
      for (int b = 0; b < pending.size(); b++) {
        fill(pending.get(b), b * tileValues);
      }
      model.predict(in, pending.size(), out);
      int outValues = Math.toIntExact(output.voxels() * classes);
      for (int b = 0; b < pending.size(); b++) {
        add(pending.get(b), b * outValues);
      }
      done += pending.size();
      pending.clear();
      progress.update(done, total);
    }

    /** Copies the input of tile {@code (copy, slab, row, column)} of the copy's grid to {@code in} at {@code at}. */
    private void fill(int[] ref, int at) {
      VolumeTransform t = transforms.get(ref[0]);
      Size3 j = t.size(size);
      int[] rows = mirrored(ref[2] * tiling.y().step() - tiling.y().context(), tile.y(), j.y());
      int[] columns = mirrored(ref[3] * tiling.x().step() - tiling.x().context(), tile.x(), j.x());
      int originZ = ref[1] * tiling.z().step() - tiling.z().context();
      int o = at;
      for (int dz = 0; dz < tile.z(); dz++) {
        float[] plane = inputs.get(t.sourcePlane(Mirror.index(originZ + dz, size.z()), size.z()));
        for (int row : rows) {
          for (int column : columns) {
            int s = (t.sourceRow(row, column, size.y()) * size.x() + t.sourceColumn(row, column, size.x())) * channels;
            System.arraycopy(plane, s, in, o, channels);
            o += channels;
          }
        }
      }
    }

    /** Adds the used output of tile {@code ref}, at {@code at} in {@code out}, to the sums of its planes. */
    private void add(int[] ref, int at) {
      VolumeTransform t = transforms.get(ref[0]);
      Size3 j = t.size(size);
      Tiling ty = tiling.y();
      Tiling tx = tiling.x();
      Tiling tz = tiling.z();
      int z0 = ref[1] * tz.step();
      int y0 = ref[2] * ty.step();
      int x0 = ref[3] * tx.step();
      int planeValues = size.y() * size.x() * classes;
      for (int dz = 0; dz < Math.min(tz.step(), size.z() - z0); dz++) {
        int plane = t.sourcePlane(z0 + dz, size.z());
        if (plane < fromZ || plane >= toZ) {
          continue;
        }
        float[] sum = sums.computeIfAbsent(plane, p -> new float[planeValues]);
        for (int dy = 0; dy < Math.min(ty.step(), j.y() - y0); dy++) {
          for (int dx = 0; dx < Math.min(tx.step(), j.x() - x0); dx++) {
            int row = y0 + dy;
            int column = x0 + dx;
            int s = at + (((tz.skip() + dz) * output.y() + ty.skip() + dy) * output.x() + tx.skip() + dx) * classes;
            int d = (t.sourceRow(row, column, size.y()) * size.x() + t.sourceColumn(row, column, size.x())) * classes;
            for (int k = 0; k < classes; k++) {
              sum[d + k] += out[s + k];
            }
          }
        }
      }
    }
  }

  /** Indices {@code from .. from + count - 1} mirrored into {@code [0, size)}. */
  private static int[] mirrored(int from, int count, int size) {
    int[] indices = new int[count];
    for (int d = 0; d < count; d++) {
      indices[d] = Mirror.index(from + d, size);
    }
    return indices;
  }
}
