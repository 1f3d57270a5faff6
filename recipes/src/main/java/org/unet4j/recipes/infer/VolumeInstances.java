package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.recipe.InferenceSpec;

/**
 * The instances of a volume as {@code inference} asks for them, from its planes of probabilities
 * as they arrive: the foreground is the voxels whose foreground probability is above
 * {@code inference.threshold}, with its holes filled when {@code inference.fillHoles} says so.
 *
 * <ul>
 *   <li>Without {@code inference.instanceClass}, the objects are the foreground's 6-connected
 *       components, labelled as the planes stream ({@link VolumeLabelling}): memory of a few planes
 *       and some bytes per object, not of the volume.
 *   <li>With it (a net of 3 or more classes), the 6-connected components of the foreground voxels
 *       whose most probable class is the instance class seed the objects, which grow into the rest
 *       of the foreground as they do in images ({@link InstanceSegmentation#grown}). Growing needs the
 *       whole foreground: it is held in memory, about 30 bytes a voxel at the peak (the provisional
 *       labels, the seeds, the grown labels and the breadth-first layers).
 * </ul>
 *
 * Objects under {@code inference.minObjectSize} voxels are dropped and the rest numbered 1..n in
 * raster order of their first voxel, as the whole-volume labelling numbers them.
 */
final class VolumeInstances implements AutoCloseable {
  private final Size3 size;
  private final int plane;
  private final double threshold;
  private final int instanceClass;
  private final int minObjectSize;
  private final VolumeLabelling components;
  /** With an instance class: whether each voxel's most probable class is it; null otherwise. */
  private final boolean @Nullable [] seedClass;
  private int @Nullable [] grown;
  private int count = -1;
  private int z;

  private VolumeInstances(Size3 size, InferenceSpec inference, @Nullable Path folder, String name) {
    this.size = size;
    this.plane = size.y() * size.x();
    this.threshold = inference.threshold();
    this.instanceClass = inference.instanceClass();
    this.minObjectSize = inference.minObjectSize();
    boolean seeded = instanceClass > 0;
    this.seedClass = seeded ? new boolean[Math.toIntExact(size.voxels())] : null;
    // Seeded objects grow over the labelled foreground, whose objects are then only its voxels.
    int componentsMinimum = seeded ? 0 : minObjectSize;
    this.components = folder == null || seeded
        ? VolumeLabelling.inMemory(size, inference.fillHoles(), componentsMinimum)
        : VolumeLabelling.spilled(size, inference.fillHoles(), componentsMinimum, folder, name);
  }

  /** Instances whose provisional labels go to a scratch file in {@code folder}, named after {@code name}. */
  static VolumeInstances spilled(Size3 size, InferenceSpec inference, Path folder, String name) {
    return new VolumeInstances(checkNotNull(size, "size"), checkNotNull(inference, "inference"),
        checkNotNull(folder, "folder"), checkNotNull(name, "name"));
  }

  /** Instances of a volume in memory. */
  static VolumeInstances inMemory(Size3 size, InferenceSpec inference) {
    return new VolumeInstances(checkNotNull(size, "size"), checkNotNull(inference, "inference"), null, "");
  }

  /** Takes plane {@code z} (the next one) of the class probabilities. */
  void addPlane(ProbabilityMap map) {
    checkArgument(map.width() == size.x() && map.height() == size.y(), "a plane of %sx%s, got %sx%s", size.x(),
        size.y(), map.width(), map.height());
    float[] foreground = map.foreground();
    boolean[] mask = new boolean[plane];
    for (int i = 0; i < plane; i++) {
      mask[i] = foreground[i] > threshold;
    }
    components.addPlane(mask);
    if (seedClass != null) {
      checkArgument(instanceClass < map.classes(), "instance class %s of a %s-class map", instanceClass,
          map.classes());
      int[] classes = map.classMap();
      for (int i = 0; i < plane; i++) {
        seedClass[z * plane + i] = classes[i] == instanceClass;
      }
    }
    z++;
  }

  /** Labels the objects after the last plane; returns their number. */
  int finish() {
    int n = components.finish();
    if (seedClass != null) {
      boolean[] mask = new boolean[seedClass.length];
      int[] labels = new int[plane];
      try (VolumeLabelling.LabelPlanes planes = components.planes()) {
        for (int p = 0; p < size.z(); p++) {
          planes.next(labels);
          for (int i = 0; i < plane; i++) {
            mask[p * plane + i] = labels[i] != 0;
          }
        }
      }
      int[] objects = InstanceSegmentation.grown(mask, seedClass, size.x(), size.y(), size.z(), minObjectSize);
      n = 0;
      for (int v : objects) {
        n = Math.max(n, v);
      }
      grown = objects;
    }
    count = n;
    return n;
  }

  /** Reads the labels a plane at a time, from plane 0, after {@link #finish}. */
  Planes planes() {
    checkState(count >= 0, "not finished");
    return new Planes();
  }

  /** A pass over the labels. */
  final class Planes implements AutoCloseable {
    private final VolumeLabelling.@Nullable LabelPlanes streamed = grown == null ? components.planes() : null;
    private int next;

    /** The next plane's labels into {@code labels} ({@code size.y() * size.x()} values). */
    void next(int[] labels) {
      if (grown != null) {
        checkState(next < size.z(), "all %s planes were read", size.z());
        System.arraycopy(grown, next * plane, labels, 0, plane);
      } else {
        checkNotNull(streamed, "streamed").next(labels);
      }
      next++;
    }

    @Override
    public void close() {
      if (streamed != null) {
        streamed.close();
      }
    }
  }

  @Override
  public void close() {
    components.close();
  }
}
