package org.unet4j.recipes.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unet4j.dsl.model.Size3;
import org.unet4j.dsl.model.VoxelSpacing;
import org.unet4j.dsl.recipe.LabelFormat;

class VolumeTest {
  @TempDir Path dir;

  @Test
  void aStackWrittenWithItsSpacingIsReadBackAsTheSameVolume() {
    Size3 size = new Size3(3, 2, 5);
    float[] voxels = new float[30];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = i * 0.5f - 3;
    }
    Volume volume = new Volume(size, 1, voxels, new Calibration(0.2, 0.2, 0.8, "micron"));
    Path file = dir.resolve("stack.tif");
    volume.write(file);
    Volume read = Volume.read(file);
    assertEquals(size, read.size());
    assertArrayEquals(voxels, read.voxels());
    assertEquals(new VoxelSpacing(0.8, 0.2, 0.2), read.spacing());
    assertEquals("micron", read.calibration().unit());
  }

  @Test
  void aLabelStackIsDecodedWithSixConnectivityAndItsIgnoreLabel() {
    Size3 size = new Size3(2, 1, 3);
    Path image = dir.resolve("image.tif");
    Path labels = dir.resolve("labels.tif");
    new Volume(size, 1, new float[6], Calibration.NONE).write(image);
    // Foreground 1 at (0,0,0) and (1,0,1): a diagonal, so two cells; 4 is not annotated.
    new Volume(size, 1, new float[] {1, 0, 4, 0, 1, 0}, Calibration.NONE).write(labels);
    LabelledVolume read = LabelledVolume.read(image, labels, LabelFormat.BINARY, 4);
    assertEquals(2, read.labels().cellCount());
    assertEquals(1, read.labels().ignoredCount());
    assertTrue(read.labels().ignored(0, 0, 2));
  }

  @Test
  void stacksThatDoNotMatchAreRefused() {
    Path image = dir.resolve("image.tif");
    Path labels = dir.resolve("labels.tif");
    new Volume(new Size3(2, 2, 2), 1, new float[8], Calibration.NONE).write(image);
    new Volume(new Size3(3, 2, 2), 1, new float[12], Calibration.NONE).write(labels);
    DataException e = assertThrows(DataException.class,
        () -> LabelledVolume.read(image, labels, LabelFormat.INSTANCE, -1));
    assertEquals(image + " has 2 pages but its labels " + labels + " have 3; a volume's label stack has one page"
        + " per plane", e.getMessage());
    DataException pages = assertThrows(DataException.class, () -> Volume.of(List.of(
        Image.gray(2, 2, PixelType.FLOAT32, new float[4]), Image.gray(3, 2, PixelType.FLOAT32, new float[6])),
        Calibration.NONE, "s.tif"));
    assertEquals("s.tif: page 1 is 3x2 with 1 channel(s) but page 0 is 2x2 with 1; the pages of a volume have one"
        + " size", pages.getMessage());
  }
}
