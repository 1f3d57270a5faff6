package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.json.SpecJson;

/**
 * Where the training data is and how to read it, in one of two forms: {@link #images} and
 * {@link #labels}, folders or glob patterns paired by file name; or {@link #pairs}, images paired
 * with labels explicitly whatever their names (the ISBI 2012 stacks). Relative paths resolve against
 * the recipe file's folder, or the working directory for a bundled recipe ({@link Recipes#dataBase});
 * a training run records them resolved to absolute paths in its {@code recipe.json}. Empty patterns
 * and no pairs are allowed for recipes used only to predict.
 */
@Doc("Training images and labels, label format, normalisation and validation split.")
public record DataSpec(
    @Doc("folder or glob of training images; a relative path resolves against the recipe file's folder, for a"
        + " bundled recipe or a --set value against the working directory") @Default("\"\"") String images,
    @Doc("folder or glob of label images, paired with images by file name; relative as images")
        @Default("\"\"") String labels,
    @Doc("images paired with labels explicitly, whatever their names, instead of images and labels: two files"
        + " pair page by page, two folders or globs file by file in sorted order; relative as images")
        @Default("[]") List<DataPair> pairs,
    @Doc("instance (0 background, k cell k), color-components (BBBC039 masks), binary (instances are the"
        + " connected components), isbi-membrane (255 cell, 0 membrane), index (the value is the class"
        + " 0..K-1), class-colors (RGB, colours in classColors) or three-class (color-components as"
        + " background, interior, boundary)")
        @Default("\"instance\"") LabelFormat labelFormat,
    NormalizationSpec normalization,
    @Doc("fraction of the images held out for validation (split by the training seed)") @Default("0.2")
        @Range(min = 0, max = 1, maxExclusive = true) double validationFraction,
    @Doc("raw label value of pixels to ignore (weight 0 in every loss, left out of class balance and"
        + " scores), e.g. 255 for unannotated regions; for class-colors a grey r = g = b = value; -1 for none")
        @Default("-1") @Range(min = -1, max = 65535) int ignoreLabel,
    @Doc("for class-colors: the [r, g, b] colour of each class, class 0 first") @Default("[]")
        List<List<Integer>> classColors) {

  /** {@link #ignoreLabel} when no label value is ignored. */
  public static final int NO_IGNORE_LABEL = -1;

  public DataSpec {
    checkNotNull(images, "images");
    checkNotNull(labels, "labels");
    pairs = ImmutableList.copyOf(pairs);
    if (!pairs.isEmpty() && !(images.isEmpty() && labels.isEmpty())) {
      throw new SpecException("pairs", "given together with images and labels; use one form: images and labels"
          + " (folders paired by file name) or pairs (files paired explicitly), and leave the other empty");
    }
    checkNotNull(labelFormat, "labelFormat");
    checkNotNull(normalization, "normalization");
    Specs.checkComponent(DataSpec.class, "validationFraction", validationFraction);
    Specs.checkComponent(DataSpec.class, "ignoreLabel", ignoreLabel);
    classColors = checkColors(classColors, labelFormat, ignoreLabel);
  }

  /** Images and labels paired by file name, no explicit pairs, no ignore label. */
  public DataSpec(String images, String labels, LabelFormat labelFormat, NormalizationSpec normalization,
      double validationFraction) {
    this(images, labels, List.of(), labelFormat, normalization, validationFraction);
  }

  /** Images and labels in either form, no ignore label and no class colours. */
  public DataSpec(String images, String labels, List<DataPair> pairs, LabelFormat labelFormat,
      NormalizationSpec normalization, double validationFraction) {
    this(images, labels, pairs, labelFormat, normalization, validationFraction, NO_IGNORE_LABEL, List.of());
  }

  /** Whether a label value is ignored ({@link #ignoreLabel} is not {@link #NO_IGNORE_LABEL}). */
  public boolean ignoresLabel() {
    return ignoreLabel != NO_IGNORE_LABEL;
  }

  /**
   * The number of classes the label format gives: 2 for the instance formats (background, cell), 3
   * for three-class, one per colour for class-colors; empty for index, whose classes are the model's.
   */
  public OptionalInt formatClasses() {
    return switch (labelFormat) {
      case INDEX -> OptionalInt.empty();
      case CLASS_COLORS -> OptionalInt.of(classColors.size());
      case THREE_CLASS -> OptionalInt.of(3);
      default -> OptionalInt.of(2);
    };
  }

  private static List<List<Integer>> checkColors(List<List<Integer>> colors, LabelFormat format, int ignoreLabel) {
    checkNotNull(colors, "classColors");
    if (format != LabelFormat.CLASS_COLORS) {
      if (!colors.isEmpty()) {
        throw new SpecException("classColors", "colours are listed but labelFormat is "
            + format.name().toLowerCase(Locale.ROOT).replace('_', '-') + "; they apply to class-colors only:"
            + " set labelFormat to class-colors or drop them");
      }
      return ImmutableList.of();
    }
    if (colors.size() < 2) {
      throw new SpecException("classColors", "labelFormat class-colors needs one [r, g, b] colour per class,"
          + " at least 2 (class 0 first), got " + colors.size());
    }
    ImmutableList.Builder<List<Integer>> copy = ImmutableList.builder();
    Map<List<Integer>, Integer> seen = new HashMap<>();
    for (int c = 0; c < colors.size(); c++) {
      List<Integer> rgb = ImmutableList.copyOf(colors.get(c));
      if (rgb.size() != 3) {
        throw new SpecException("classColors[" + c + "]", "expected [r, g, b], 3 values, got " + rgb.size());
      }
      for (int i = 0; i < 3; i++) {
        int v = rgb.get(i);
        if (v < 0 || v > 65535) {
          throw new SpecException("classColors[" + c + "][" + i + "]", "expected 0..65535, got " + v);
        }
      }
      Integer before = seen.put(rgb, c);
      if (before != null) {
        throw new SpecException("classColors[" + c + "]", "colour " + rgb + " is also class " + before
            + "'s; every class needs its own colour");
      }
      if (ignoreLabel != NO_IGNORE_LABEL && rgb.equals(List.of(ignoreLabel, ignoreLabel, ignoreLabel))) {
        throw new SpecException("classColors[" + c + "]", "colour " + rgb + " is the ignore label's grey ("
            + ignoreLabel + "); choose another colour or another ignoreLabel");
      }
      copy.add(rgb);
    }
    return copy.build();
  }

  /** No data: a recipe used for prediction only. */
  public static DataSpec none() {
    return new DataSpec("", "", LabelFormat.INSTANCE, NormalizationSpec.percentile(), 0.2);
  }

  /**
   * This spec with every relative path made absolute against {@code base}, as a training run
   * records it; absolute paths and empty patterns stay as they are.
   */
  public DataSpec resolvedAgainst(Path base) {
    List<DataPair> resolved = new ArrayList<>();
    for (DataPair p : pairs) {
      resolved.add(new DataPair(absolute(p.images(), base), absolute(p.labels(), base)));
    }
    return new DataSpec(absolute(images, base), absolute(labels, base), resolved, labelFormat, normalization,
        validationFraction, ignoreLabel, classColors);
  }

  private static String absolute(String pattern, Path base) {
    return pattern.isBlank() ? pattern : base.toAbsolutePath().resolve(pattern).normalize().toString();
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final DataSpec DEFAULTS = SpecJson.defaults(DataSpec.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a data spec: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private String images;
    private String labels;
    private List<DataPair> pairs;
    private LabelFormat labelFormat;
    private NormalizationSpec normalization;
    private double validationFraction;
    private int ignoreLabel;
    private List<List<Integer>> classColors;

    private Builder(DataSpec from) {
      this.images = from.images();
      this.labels = from.labels();
      this.pairs = new ArrayList<>(from.pairs());
      this.labelFormat = from.labelFormat();
      this.normalization = from.normalization();
      this.validationFraction = from.validationFraction();
      this.ignoreLabel = from.ignoreLabel();
      this.classColors = from.classColors();
    }

    /** Folder or glob of training images. */
    public Builder images(String images) {
      this.images = checkNotNull(images, "images");
      return this;
    }

    public String images() {
      return images;
    }

    /** Folder or glob of label images, paired with the images by file name. */
    public Builder labels(String labels) {
      this.labels = checkNotNull(labels, "labels");
      return this;
    }

    public String labels() {
      return labels;
    }

    /**
     * Pairs an image file (a stack pairs page by page), folder or glob with its labels explicitly,
     * after the pairs given so far; the recipe then names no {@link #images} and {@link #labels}.
     */
    public Builder pair(String images, String labels) {
      this.pairs.add(new DataPair(images, labels));
      return this;
    }

    /** Replaces the explicit pairs. */
    public Builder pairs(List<DataPair> pairs) {
      this.pairs = new ArrayList<>(pairs);
      return this;
    }

    public List<DataPair> pairs() {
      return List.copyOf(pairs);
    }

    /** How the label images encode cells. */
    public Builder labelFormat(LabelFormat labelFormat) {
      this.labelFormat = checkNotNull(labelFormat, "labelFormat");
      return this;
    }

    public LabelFormat labelFormat() {
      return labelFormat;
    }

    /** Intensity normalisation of the input images. */
    public Builder normalization(NormalizationSpec normalization) {
      this.normalization = checkNotNull(normalization, "normalization");
      return this;
    }

    public NormalizationSpec normalization() {
      return normalization;
    }

    /** Fraction of the images held out for validation. */
    public Builder validationFraction(double validationFraction) {
      this.validationFraction = validationFraction;
      return this;
    }

    public double validationFraction() {
      return validationFraction;
    }

    /** Raw label value of the pixels to ignore, {@link DataSpec#NO_IGNORE_LABEL} for none. */
    public Builder ignoreLabel(int ignoreLabel) {
      this.ignoreLabel = ignoreLabel;
      return this;
    }

    public int ignoreLabel() {
      return ignoreLabel;
    }

    /** The [r, g, b] colour of each class, class 0 first, for {@link LabelFormat#CLASS_COLORS}. */
    public Builder classColors(List<List<Integer>> classColors) {
      this.classColors = checkNotNull(classColors, "classColors");
      return this;
    }

    public List<List<Integer>> classColors() {
      return classColors;
    }

    public DataSpec build() {
      return new DataSpec(images, labels, pairs, labelFormat, normalization, validationFraction, ignoreLabel,
          classColors);
    }
  }
}
