package org.unet4j.recipes.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.unet4j.recipes.data.Calibration;
import org.unet4j.recipes.data.DataException;
import org.unet4j.recipes.data.Image;
import org.unet4j.recipes.data.PageSource;
import org.unet4j.recipes.data.PixelType;

/** Measurements of a tiny labelled image, every number worked out by hand. */
class ObjectMeasurementsTest {
  @TempDir Path dir;

  //   labels     image       probabilities
  //   1 1 0 2    10 20 0 5   .5  .75 0 1
  //   1 0 0 2    30  0 0 7   .25 0   0 .5
  //   0 0 0 2     0  0 0 9   0   0   0 .75
  private static final PageSource LABELS = PageSource.of(Image.gray(4, 3, PixelType.UINT16,
      new float[] {1, 1, 0, 2, 1, 0, 0, 2, 0, 0, 0, 2}));
  private static final PageSource IMAGE = PageSource.of(Image.gray(4, 3, PixelType.UINT8,
      new float[] {10, 20, 0, 5, 30, 0, 0, 7, 0, 0, 0, 9}));
  private static final PageSource PROBABILITIES = PageSource.of(Image.gray(4, 3, PixelType.FLOAT32,
      new float[] {0.5f, 0.75f, 0, 1, 0.25f, 0, 0, 0.5f, 0, 0, 0, 0.75f}));

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void eachObjectsAreaCentroidBoundsAndMeans(int band) {
    List<ObjectMeasurement> objects = ObjectMeasurements.measure(2, LABELS, IMAGE, PROBABILITIES, band);
    // Label 1: pixels (0,0) (1,0) (0,1); centres at +0.5: x (0.5+1.5+0.5)/3, y (0.5+0.5+1.5)/3.
    ObjectMeasurement first = objects.get(0);
    assertEquals(2.5 / 3, first.centroidX(), 1e-12);
    assertEquals(2.5 / 3, first.centroidY(), 1e-12);
    assertEquals(new ObjectMeasurement(2, 1, 3, first.centroidX(), first.centroidY(), 0, 0, 2, 2, new double[] {20},
        0.5), first);
    // Label 2: the right column.
    assertEquals(new ObjectMeasurement(2, 2, 3, 3.5, 1.5, 3, 0, 1, 3, new double[] {7}, 0.75), objects.get(1));
    assertEquals(2, objects.size());
  }

  @Test
  void theTableNamesItsUnitsAndScalesByTheCalibration() throws IOException {
    List<ObjectMeasurement> objects = ObjectMeasurements.measure(2, LABELS, IMAGE, PROBABILITIES);
    Path csv = dir.resolve("cells_objects.csv");
    ObjectMeasurements.writeCsv(csv, objects, new Calibration(0.5, 0.25, 2, "micron"));
    List<String> lines = Files.readAllLines(csv);
    assertEquals("page,label,area[px],area[micron^2],centroidX[micron],centroidY[micron],z[micron],boundsX[px],"
        + "boundsY[px],boundsWidth[px],boundsHeight[px],meanIntensity,meanProbability", lines.get(0));
    // Label 1: area 3 x 0.125; centroid 0.8333... x 0.5 and x 0.25; page 2 at z 1 x 2.
    assertEquals("2,1,3,0.375,0.4166666667,0.2083333333,2,0,0,2,2,20,0.5", lines.get(1));
    assertEquals("2,2,3,0.375,1.75,0.375,2,3,0,1,3,7,0.75", lines.get(2));
    assertEquals(3, lines.size());
    // Uncalibrated: the same numbers in pixels.
    assertEquals("2,2,3,3,3.5,1.5,1,3,0,1,3,7,0.75",
        ObjectMeasurements.csv(objects, Calibration.NONE).split("\n")[2]);
  }

  @Test
  void severalChannelsGetAMeanEach() {
    PageSource rgb = PageSource.of(new Image(4, 3, 2, PixelType.UINT8, new float[] {
        10, 1, 20, 2, 0, 0, 5, 5, 30, 3, 0, 0, 0, 0, 7, 6, 0, 0, 0, 0, 0, 0, 9, 7}));
    List<ObjectMeasurement> objects = ObjectMeasurements.measure(1, LABELS, rgb, PROBABILITIES);
    assertArrayEquals(new double[] {20, 2}, objects.get(0).meanIntensity());
    assertArrayEquals(new double[] {7, 6}, objects.get(1).meanIntensity());
    assertEquals("page,label,area[px],area[pixel^2],centroidX[pixel],centroidY[pixel],z[pixel],boundsX[px],"
        + "boundsY[px],boundsWidth[px],boundsHeight[px],meanIntensityC1,meanIntensityC2,meanProbability",
        ObjectMeasurements.csv(objects, Calibration.NONE).split("\n")[0]);
  }

  @Test
  void pagesOfDifferentSizesAreRefused() {
    PageSource small = PageSource.of(Image.gray(3, 3, PixelType.UINT8, new float[9]));
    DataException e = assertThrows(DataException.class,
        () -> ObjectMeasurements.measure(1, LABELS, small, PROBABILITIES));
    assertEquals("page 1: labels 4x3, image 3x3 and probabilities 4x3 must be the same size to be measured together",
        e.getMessage());
  }
}
