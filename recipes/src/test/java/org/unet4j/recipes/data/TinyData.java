package org.unet4j.recipes.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small image/mask folders written for tests: bright discs on a dark background. */
public final class TinyData {
  private TinyData() {}

  /**
   * Writes {@code count} 16-bit images {@code img<i>.tif} into {@code dir/images} and colour-coded
   * 8-bit masks {@code img<i>.png} into {@code dir/masks}, {@code size x size} pixels each.
   */
  public static void write(Path dir, int count, int size, long seed) throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Files.createDirectories(dir.resolve("masks"));
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      float[] image = new float[size * size];
      float[] mask = new float[size * size];
      int discs = 2 + random.nextInt(3);
      for (int d = 0; d < discs; d++) {
        double cx = random.nextDouble() * size;
        double cy = random.nextDouble() * size;
        double r = 4 + random.nextDouble() * size / 8.0;
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
              mask[y * size + x] = 1 + d % 3;
            }
          }
        }
      }
      for (int p = 0; p < image.length; p++) {
        image[p] = (float) Math.max(0, Math.round((mask[p] > 0 ? 3000 : 400) + 150 * random.nextGaussian()));
      }
      ImageIo.writeTiff(dir.resolve("images/img" + i + ".tif"), Image.gray(size, size, PixelType.UINT16, image));
      ImageIo.writePng(dir.resolve("masks/img" + i + ".png"), Image.gray(size, size, PixelType.UINT8, mask));
    }
  }
}
