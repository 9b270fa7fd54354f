package io.statusreg.compaction.audit;

import java.io.PrintStream;
import java.util.List;

/**
 * The outcome of an audit: one finding per list that is not as the log says.
 *
 * @param exact tokens compared with their list at exactly the event count they cover
 * @param settled tokens compared by settling: records of wire version 1, which do not say what they
 *     cover, and tokens whose count lies before a snapshot whose earlier events have expired
 * @param trailing tokens behind the log, and lists without a token yet, within {@code --max-lag}:
 *     publication in progress, not findings
 */
public record AuditReport(
    int listsChecked,
    int tokensRead,
    List<Finding> findings,
    int exact,
    int settled,
    int trailing) {
  public AuditReport {
    findings = List.copyOf(findings);
  }

  /** What is wrong with one list. */
  public enum Kind {
    /** The token's entries differ from the rebuilt list's. */
    MISMATCH,
    /** The token's bits or length differ from the list's shape. */
    SHAPE,
    /** A list exists in the log, created more than {@code --max-lag} ago, but has no token. */
    MISSING_TOKEN,
    /** A token exists for a list the log does not know. */
    UNKNOWN_LIST,
    /** The token's signature does not verify with the given keys. */
    BAD_SIGNATURE,
    /** The token's signed representations (JWT, CWT) or its record disagree with each other. */
    REPRESENTATIONS_DIFFER,
    /** The token's {@code exp} has passed: the publisher stopped refreshing it. */
    EXPIRED_TOKEN,
    /** The token record cannot be read. */
    UNREADABLE_TOKEN,
    /**
     * The token is behind the log: the first event it lacks is older than {@code --max-lag} (or,
     * for a token that does not say what it covers, it still predates the list's last change after
     * the settle time).
     */
    STALE_TOKEN
  }

  /** An entry whose published status differs from the rebuilt one. */
  public record Difference(long idx, int expected, int published) {}

  public record Finding(
      String list, Kind kind, String detail, List<Difference> differences, long differenceCount) {}

  public boolean clean() {
    return findings.isEmpty();
  }

  /** Prints the findings by list and index, at most {@code perList} indexes per list. */
  public void print(PrintStream out, int perList) {
    for (Finding f : findings) {
      out.printf("%s %s: %s%n", f.kind(), f.list(), f.detail());
      int shown = 0;
      for (Difference d : f.differences()) {
        if (shown++ >= perList) {
          out.printf("  ... and %d more%n", f.differenceCount() - perList);
          break;
        }
        out.printf(
            "  index %d: log says %d, token says %d%n", d.idx(), d.expected(), d.published());
      }
    }
    out.printf(
        "audit: %d lists, %d tokens, %s%n",
        listsChecked,
        tokensRead,
        findings.isEmpty() ? "no findings" : findings.size() + " findings");
    out.printf(
        "audit: %d tokens compared at the event count they cover, %d by settling%s%n",
        exact,
        settled,
        trailing == 0 ? "" : "; " + trailing + " publications trail the log within --max-lag");
  }
}
