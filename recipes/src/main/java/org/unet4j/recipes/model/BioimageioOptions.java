package org.unet4j.recipes.model;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.unet4j.dsl.SpecException;

/**
 * What a bioimage.io model package says about itself beyond what the run knows: who made it, under
 * which licence, the input size it declares and the image its test tensors come from.
 *
 * @param name the model's name (5 to 128 letters, digits, spaces, {@code _ - ( )}); {@code null}:
 *     the recipe's name followed by {@code U-Net}
 * @param description one paragraph (at most 1024 characters); {@code null}: the recipe's
 *     description
 * @param authors the people who trained the model, at least one
 * @param license an SPDX licence identifier such as {@code CC-BY-4.0} or {@code MIT}
 * @param tile a fixed input size (height and width) the package declares; empty: every valid size,
 *     declared as the smallest one plus a step (the geometry's period)
 * @param testImage the raw image whose centre becomes the test input; {@code null}: a generated
 *     image of round cells
 */
public record BioimageioOptions(@Nullable String name, @Nullable String description, List<String> authors,
    String license, OptionalInt tile, @Nullable Path testImage) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-() ]{5,128}");
  private static final Pattern SPDX = Pattern.compile("[A-Za-z0-9.+\\-]+");

  public BioimageioOptions {
    checkNotNull(authors, "authors");
    checkNotNull(license, "license");
    checkNotNull(tile, "tile");
    authors = ImmutableList.copyOf(authors);
    if (name != null && (!NAME.matcher(name).matches() || name.strip().length() != name.length())) {
      throw new SpecException("name", "\"" + name + "\" is not a bioimage.io model name: use 5 to 128 letters,"
          + " digits, spaces, _ - ( ), not starting or ending with a space");
    }
    if (description != null && description.length() > 1024) {
      throw new SpecException("description", description.length() + " characters; bioimage.io allows at most 1024");
    }
    if (authors.isEmpty() || authors.stream().anyMatch(a -> a.isBlank())) {
      throw new SpecException("authors", "got " + authors + "; a bioimage.io model names at least one author, each"
          + " with a non-blank name");
    }
    if (!SPDX.matcher(license).matches()) {
      throw new SpecException("license", "\"" + license + "\" is not an SPDX licence identifier such as CC-BY-4.0,"
          + " MIT or BSD-3-Clause");
    }
    if (tile.isPresent() && tile.getAsInt() < 1) {
      throw new SpecException("tile", "expected a positive input size, got " + tile.getAsInt());
    }
  }

  /** Options with every default: the recipe's name and description, licence CC-BY-4.0, any valid size. */
  public static Builder builder(String author) {
    return new Builder(author);
  }

  /** Collects options; {@link #build} validates them. */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable String description;
    private List<String> authors;
    private String license = "CC-BY-4.0";
    private OptionalInt tile = OptionalInt.empty();
    private @Nullable Path testImage;

    private Builder(String author) {
      this.authors = List.of(author);
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder authors(List<String> authors) {
      this.authors = authors;
      return this;
    }

    public Builder license(String license) {
      this.license = license;
      return this;
    }

    /** Declares one fixed input size instead of every valid one. */
    public Builder tile(int tile) {
      this.tile = OptionalInt.of(tile);
      return this;
    }

    public Builder testImage(Path testImage) {
      this.testImage = testImage;
      return this;
    }

    public BioimageioOptions build() {
      return new BioimageioOptions(name, description, authors, license, tile, testImage);
    }
  }
}
