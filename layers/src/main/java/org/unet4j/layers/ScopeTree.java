package org.unet4j.layers;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.op.Ops;

/**
 * One {@link Ops} per spec path, created once and reused.
 *
 * <p>TF Java rejects {@code /} in {@code withSubScope}, and asking the same parent twice for
 * sub-scope {@code conv1} yields {@code conv1} and then {@code conv1_1}. Chaining one sub-scope per
 * path level and caching every level is what makes a variable come out exactly as
 * {@code contracting/2/conv1/kernel}.
 */
final class ScopeTree {
  private final Ops root;
  private final Map<String, Ops> scopes = new HashMap<>();

  ScopeTree(Ops root) {
    this.root = root;
  }

  /** The graph's top level, for the input, the output names and the training flag. */
  Ops root() {
    return root;
  }

  /** The scope of {@code path} ({@code contracting/2/conv1}), creating its missing levels. */
  Ops at(String path) {
    Ops cached = scopes.get(path);
    if (cached != null) {
      return cached;
    }
    int slash = path.lastIndexOf('/');
    Ops parent = slash < 0 ? root : at(path.substring(0, slash));
    Ops scope = parent.withSubScope(path.substring(slash + 1));
    scopes.put(path, scope);
    return scope;
  }
}
