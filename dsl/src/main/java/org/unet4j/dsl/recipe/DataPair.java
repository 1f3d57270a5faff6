package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import org.unet4j.dsl.Doc;
import org.unet4j.dsl.SpecException;

/**
 * Image files paired with label files explicitly, whatever their names: a stack with a stack (the
 * ISBI 2012 challenge's {@code train-volume.tif} and {@code train-labels.tif}, pages paired in
 * order), a file with a file, or a folder or glob with another, paired in sorted order.
 */
@Doc("Images paired with labels whatever their names: two files (pages in order), or two folders or globs (files"
    + " in sorted order).")
public record DataPair(
    @Doc("an image file (a multi-page stack pairs page by page), folder or glob") String images,
    @Doc("the label file, folder or glob of those images") String labels) {

  public DataPair {
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    if (images.isBlank()) {
      throw new SpecException("images", "empty; name an image file, folder or glob such as data/train-volume.tif");
    }
    if (labels.isBlank()) {
      throw new SpecException("labels", "empty; name the label file, folder or glob of \"" + images + "\"");
    }
  }
}
