package org.unet4j.dsl.recipe;

/** Which transformed copies of an image are predicted and averaged after the inverse transform. */
public enum TestTimeAugmentation {
  NONE,
  /** The 4 mirrors (identity, horizontal, vertical, both). */
  MIRRORS,
  /** The 8 dihedral transforms: quarter turns and their mirrors. */
  DIHEDRAL
}
