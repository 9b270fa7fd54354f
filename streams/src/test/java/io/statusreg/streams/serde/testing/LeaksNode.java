package io.statusreg.streams.serde.testing;

import io.statusreg.streams.RegistryNode;

/** A test-only class in the serde package that breaks the one-direction rule on purpose. */
public final class LeaksNode {
  private LeaksNode() {}

  public static boolean ready(RegistryNode node) {
    return node.isReady();
  }
}
