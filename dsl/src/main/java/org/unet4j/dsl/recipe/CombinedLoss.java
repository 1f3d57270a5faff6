package org.unet4j.dsl.recipe;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import org.unet4j.dsl.Doc;
import org.unet4j.dsl.SpecException;
import org.unet4j.dsl.TypeName;

/** A weighted sum of losses, e.g. weighted cross-entropy plus 0.5 x Dice. */
@TypeName("combined")
@Doc("A weighted sum of losses.")
public record CombinedLoss(@Doc("the terms, at least one") List<LossTerm> terms) implements LossSpec {

  public CombinedLoss {
    terms = ImmutableList.copyOf(terms);
    if (terms.isEmpty()) {
      throw new SpecException("terms", "expected at least one term, got none");
    }
  }

  /** A builder without terms; {@link Builder#build()} needs at least one. */
  public static Builder builder() {
    return new Builder(List.of());
  }

  /** A builder that starts from this loss's terms, to build a changed copy. */
  public Builder toBuilder() {
    return new Builder(terms);
  }

  /** Builds a weighted sum term by term: {@code term(1, WeightedCrossEntropyLoss.paper()).term(0.5, dice)}. */
  public static final class Builder {
    private final List<LossTerm> terms;

    private Builder(List<LossTerm> from) {
      this.terms = new ArrayList<>(from);
    }

    /** Adds {@code weight} times {@code loss}; a bad weight is reported as {@code terms[i].weight}. */
    public Builder term(double weight, LossSpec loss) {
      try {
        terms.add(new LossTerm(weight, loss));
      } catch (SpecException e) {
        throw e.under("terms[" + terms.size() + "]");
      }
      return this;
    }

    /** The terms declared so far. */
    public List<LossTerm> terms() {
      return ImmutableList.copyOf(terms);
    }

    public CombinedLoss build() {
      return new CombinedLoss(terms);
    }
  }
}
