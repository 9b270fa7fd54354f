package io.statusreg.streams.publication;

import java.util.function.ObjIntConsumer;

/**
 * Where the publisher reads a list's pages from (the owner's state store): a page is {@link
 * io.statusreg.registry.lists.StatusList#PAGE_BYTES} bytes; a page that was never written (all
 * VALID) is absent. Read on the publishing thread only.
 */
public interface PageSource {
  /** Page {@code n}, or null when it is all zeros (never written or cleared). */
  byte[] page(int n);

  /** Calls {@code action} with every present page and its number, in any order. */
  void forEachPage(ObjIntConsumer<byte[]> action);
}
