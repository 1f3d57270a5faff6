package org.unet4j.dsl.recipe;

import com.google.common.collect.ImmutableList;
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
}
