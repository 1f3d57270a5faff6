package org.unet4j.recipes.data;

import java.nio.file.Path;

/** An image and its label file, matched by file name without extension. */
public record ImagePair(String name, Path image, Path labels) {}
