package org.unet4j.spark;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.Serializable;

/** The size of one page of an input image, read from its header. */
public record PageSize(int width, int height) implements Serializable {
  private static final long serialVersionUID = 1L;

  public PageSize {
    checkArgument(width >= 1 && height >= 1, "a page is at least 1x1, got %sx%s", width, height);
  }
}
