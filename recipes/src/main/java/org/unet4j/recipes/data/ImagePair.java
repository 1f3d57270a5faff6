package org.unet4j.recipes.data;

import java.nio.file.Path;

/**
 * An image file and its label file, matched by file name without extension or explicitly
 * ({@code data.pairs}); {@code name} is the image's file name without extension.
 */
public record ImagePair(String name, Path image, Path labels) {}
