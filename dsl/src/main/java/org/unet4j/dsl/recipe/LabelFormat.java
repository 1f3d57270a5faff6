package org.unet4j.dsl.recipe;

/**
 * How the label images of a dataset encode cells or classes. The instance formats give two
 * classes (background, cell); {@link #INDEX} and {@link #CLASS_COLORS} give the classes of the
 * model or of the class table; {@link #THREE_CLASS} gives three.
 */
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
  ISBI_MEMBRANE,
  /** 8/16-bit class maps: the pixel value is the class, 0..K-1 for a model of K classes. */
  INDEX,
  /** RGB class maps: each class has its colour in {@code data.classColors}. */
  CLASS_COLORS,
  /**
   * Instances as {@link #COLOR_COMPONENTS} read them, as three classes: 0 background, 1 cell
   * interior, 2 cell boundary (the cell's pixels with a 4-neighbour of another label, background
   * included); the nuclei "3-class" formulation.
   */
  THREE_CLASS;

  /** Whether the format gives cells (two classes, or three for {@link #THREE_CLASS}) rather than a class map. */
  public boolean givesInstances() {
    return this != INDEX && this != CLASS_COLORS;
  }
}
