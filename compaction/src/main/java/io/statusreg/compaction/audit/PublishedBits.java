package io.statusreg.compaction.audit;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListToken;
import io.statusreg.registry.lists.StatusList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one record of {@code statusreg.tokens} says about a list, once its signatures are checked:
 * the record ({@link PublishedToken}, which says how many of the list's events it covers), the list
 * as the JWT's {@code status_list} decodes (the IETF form every verifier reads), and the problems
 * found while reading it (bad signatures, an expired token, the CWT disagreeing with the JWT).
 * {@code jwtList} is empty when the JWT could not be read at all.
 */
public record PublishedBits(
    PublishedToken token,
    Optional<StatusList> jwtList,
    List<Problem> problems,
    Optional<Set<IdentifierListToken.Identifier>> identifiers) {

  public PublishedBits {
    problems = List.copyOf(problems);
  }

  /** A status list's publication. */
  public PublishedBits(PublishedToken token, Optional<StatusList> jwtList, List<Problem> problems) {
    this(token, jwtList, problems, Optional.empty());
  }

  /**
   * An identifier list's publication seen as the list's slot bits, for the comparison with the
   * fold: each verified identifier decrypted to its slot under the list's key ({@code cipher}). An
   * identifier that is no slot of the list is a problem of its own.
   */
  public PublishedBits asSlots(IdentifierCipher cipher, long size) {
    if (identifiers.isEmpty()) {
      return this;
    }
    // one editor for every slot: a persistent with() per identifier would copy a page each time
    StatusList.Editor slots = StatusList.empty(1, size).edit();
    List<Problem> all = new java.util.ArrayList<>(problems);
    long foreign = 0;
    for (IdentifierListToken.Identifier id : identifiers.get()) {
      java.util.OptionalLong slot = cipher.slotOf(id.bytes());
      if (slot.isEmpty() || slot.getAsLong() >= size) {
        foreign++;
      } else {
        slots.set(slot.getAsLong(), 1);
      }
    }
    if (foreign > 0) {
      all.add(
          new Problem(
              AuditReport.Kind.MISMATCH,
              foreign + " published identifiers were never issued from this list"));
    }
    return new PublishedBits(token, Optional.of(slots.list()), all, Optional.empty());
  }

  /** A problem with one token record, reported as a finding of {@code kind}. */
  public record Problem(AuditReport.Kind kind, String detail) {}
}
