package org.unet4j.dsl.recipe;

/** How the label images of a dataset encode cells. */
public enum LabelFormat {
  /** 8/16-bit instance labels: 0 background, k for cell k. */
  INSTANCE,
  /**
   * Colour-coded masks: touching cells have different values and the instances are the connected
   * components of each value (the BBBC039 nuclei masks).
   */
  COLOR_COMPONENTS,
  /**
   * Binary masks: 0 and one foreground value (1, 255, 65535, ...); instances are the 4-connected
   * components of the foreground. A mask with several foreground values is refused (it would merge
   * touching cells): use {@link #COLOR_COMPONENTS} or {@link #INSTANCE} for those.
   */
  BINARY,
  /** ISBI 2012 membrane labels: 255 cell interior, 0 membrane. */
  ISBI_MEMBRANE
}
