package io.statusreg.compaction.audit;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.lists.StatusList;
import java.util.List;
import java.util.Optional;

/**
 * What one record of {@code statusreg.tokens} says about a list, once its signatures are checked:
 * the record ({@link PublishedToken}, which says how many of the list's events it covers), the list
 * as the JWT's {@code status_list} decodes (the IETF form every verifier reads), and the problems
 * found while reading it (bad signatures, an expired token, the CWT disagreeing with the JWT).
 * {@code jwtList} is empty when the JWT could not be read at all.
 */
public record PublishedBits(
    PublishedToken token, Optional<StatusList> jwtList, List<Problem> problems) {

  public PublishedBits {
    problems = List.copyOf(problems);
  }

  /** A problem with one token record, reported as a finding of {@code kind}. */
  public record Problem(AuditReport.Kind kind, String detail) {}
}
