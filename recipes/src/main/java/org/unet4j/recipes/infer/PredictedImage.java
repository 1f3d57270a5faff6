package org.unet4j.recipes.infer;

import static com.google.common.base.Preconditions.checkNotNull;

import java.nio.file.Path;

/**
 * What {@link Predictor#predictFile} did with one input file.
 *
 * @param name the output name ({@code NAME_prob.tif} and so on)
 * @param input the image file
 * @param width the width of its pages
 * @param height the height of its pages
 * @param pages its page count (1 for a PNG or a single-page TIFF)
 * @param objects the objects found, over all pages
 * @param foregroundFraction the share of pixels inside an object, over all pages, 0..1
 * @param tiles the tiles predicted, test-time copies included
 * @param seconds the time from reading the input to the last output written
 * @param files the files written
 */
public record PredictedImage(String name, Path input, int width, int height, int pages, long objects,
    double foregroundFraction, long tiles, double seconds, PredictionFiles files) {

  public PredictedImage {
    checkNotNull(name, "name");
    checkNotNull(input, "input");
    checkNotNull(files, "files");
  }
}
