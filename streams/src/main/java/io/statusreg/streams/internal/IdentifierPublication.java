package io.statusreg.streams.internal;

import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.lists.StatusList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;

/** What the command processor needs to know about identifier lists (ISO/IEC 18013-5). */
final class IdentifierPublication {
  private IdentifierPublication() {}

  /** The pages holding the slots of the identifiers a revocation names (only those are read). */
  static List<Integer> pagesOf(RegistryCommand.RevokeIdentifiers command, ListMeta meta) {
    IdentifierCipher cipher = meta.identifiers();
    long perPage = (long) StatusList.PAGE_BYTES * 8;
    TreeSet<Integer> pages = new TreeSet<>();
    for (byte[] id : command.identifiers()) {
      OptionalLong slot = cipher.slotOf(id);
      if (slot.isPresent() && slot.getAsLong() < meta.size()) {
        pages.add((int) (slot.getAsLong() / perPage));
      }
    }
    return List.copyOf(pages);
  }
}
