package org.unet4j.dsl.recipe;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.unet4j.dsl.Default;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.Range;
import org.unet4j.dsl.Specs;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.TypeName;
import org.unet4j.dsl.json.SpecJson;

/**
 * The paper's loss (eq. 1): pixel-wise soft-max cross-entropy weighted by
 * w(x) = w_c(x) + w0 exp(-(d1(x) + d2(x))^2 / (2 sigma^2)) (eq. 2), where d1 and d2 are the
 * distances to the nearest and second-nearest cell.
 */
@TypeName("weighted-cross-entropy")
@Doc("The paper's weighted pixel-wise cross-entropy (eq. 1) with the separation weight map (eq. 2).")
public record WeightedCrossEntropyLoss(
    @Doc("border weight w0 (10 in the paper)") @Default("10") @Range(min = 0, max = 1000) double w0,
    @Doc("border width sigma in pixels (5 in the paper)") @Default("5")
        @Range(min = 0, max = 1000, minExclusive = true) double sigma,
    @Doc("class-frequency term w_c: inverse-frequency (per image), dataset-frequency (over the training set),"
        + " none or given") @Default("\"inverse-frequency\"") ClassBalance classBalance,
    @Doc("w_c per class when classBalance is given") @Default("[]") List<Double> classWeights)
    implements LossSpec {

  public WeightedCrossEntropyLoss {
    checkNotNull(classBalance, "classBalance");
    Specs.checkComponent(WeightedCrossEntropyLoss.class, "w0", w0);
    Specs.checkComponent(WeightedCrossEntropyLoss.class, "sigma", sigma);
    classWeights = ImmutableList.copyOf(classWeights);
    if (classBalance == ClassBalance.GIVEN && classWeights.isEmpty()) {
      throw new SpecException("classWeights", "classBalance is given but no weights are listed; list one per class");
    }
    if (classBalance != ClassBalance.GIVEN && !classWeights.isEmpty()) {
      throw new SpecException("classWeights", "weights are listed but classBalance is "
          + classBalance.name().toLowerCase(Locale.ROOT).replace('_', '-') + "; set it to given or drop them");
    }
    for (int i = 0; i < classWeights.size(); i++) {
      double w = classWeights.get(i);
      if (!(w >= 0) || Double.isInfinite(w)) {
        throw new SpecException("classWeights[" + i + "]", "expected a finite weight >= 0, got " + w);
      }
    }
  }

  /**
   * The weighted cross-entropy whose weight map {@code loss} needs: the loss itself or the first
   * such term of a combined loss (nested ones included); empty when the loss takes no weight map.
   */
  public static Optional<WeightedCrossEntropyLoss> findIn(LossSpec loss) {
    if (loss instanceof WeightedCrossEntropyLoss weighted) {
      return Optional.of(weighted);
    }
    if (loss instanceof CombinedLoss combined) {
      for (LossTerm term : combined.terms()) {
        Optional<WeightedCrossEntropyLoss> inner = findIn(term.loss());
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * {@code loss} with its weighted cross-entropy (itself, or the first in a combined loss, as
   * {@link #findIn} finds it) replaced by {@code replacement}; {@code loss} itself when it has none.
   */
  public static LossSpec replaceIn(LossSpec loss, WeightedCrossEntropyLoss replacement) {
    if (loss instanceof WeightedCrossEntropyLoss) {
      return replacement;
    }
    if (loss instanceof CombinedLoss combined) {
      List<LossTerm> terms = new java.util.ArrayList<>(combined.terms());
      for (int i = 0; i < terms.size(); i++) {
        if (findIn(terms.get(i).loss()).isPresent()) {
          terms.set(i, new LossTerm(terms.get(i).weight(), replaceIn(terms.get(i).loss(), replacement)));
          return new CombinedLoss(terms);
        }
      }
    }
    return loss;
  }

  /** The paper's settings: w0 = 10, sigma = 5 px, inverse-frequency class balance. */
  public static WeightedCrossEntropyLoss paper() {
    return new WeightedCrossEntropyLoss(10, 5, ClassBalance.INVERSE_FREQUENCY, List.of());
  }

  /** The recipe format's defaults, read from the {@code @Default} annotations. */
  private static final WeightedCrossEntropyLoss DEFAULTS = SpecJson.defaults(WeightedCrossEntropyLoss.class);

  /** A builder that starts from the recipe format's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder that starts from this spec's values, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds the paper's weighted cross-entropy: short-lived and mutable; {@link #build()} validates like the constructor and throws
   * a {@link org.unet4j.dsl.SpecException} naming the field.
   */
  public static final class Builder {
    private double w0;
    private double sigma;
    private ClassBalance classBalance;
    private List<Double> classWeights;

    private Builder(WeightedCrossEntropyLoss from) {
      this.w0 = from.w0();
      this.sigma = from.sigma();
      this.classBalance = from.classBalance();
      this.classWeights = from.classWeights();
    }

    /** Border weight w0 (10 in the paper). */
    public Builder w0(double w0) {
      this.w0 = w0;
      return this;
    }

    public double w0() {
      return w0;
    }

    /** Border width sigma in pixels (5 in the paper). */
    public Builder sigma(double sigma) {
      this.sigma = sigma;
      return this;
    }

    public double sigma() {
      return sigma;
    }

    /** The class-frequency term w_c. */
    public Builder classBalance(ClassBalance classBalance) {
      this.classBalance = checkNotNull(classBalance, "classBalance");
      return this;
    }

    public ClassBalance classBalance() {
      return classBalance;
    }

    /** w_c per class when the class balance is given. */
    public Builder classWeights(List<Double> classWeights) {
      this.classWeights = checkNotNull(classWeights, "classWeights");
      return this;
    }

    public List<Double> classWeights() {
      return classWeights;
    }

    public WeightedCrossEntropyLoss build() {
      return new WeightedCrossEntropyLoss(w0, sigma, classBalance, classWeights);
    }
  }
}
