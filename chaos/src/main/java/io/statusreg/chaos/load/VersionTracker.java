package io.statusreg.chaos.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token versions as verifiers observe them. The version is the publication number that leads the
 * ETag ({@code "42-jwt-..."} as the API serves it, or {@code "v42-..."} as the topology writes it).
 * Per instance and list it must never go down; across instances a lagging instance may briefly
 * serve an older version, which is counted apart. The first time each new version of a list is seen
 * gives the list's publication timeline, whose gaps show pauses.
 */
public final class VersionTracker {
  private static final Pattern ETAG_VERSION = Pattern.compile("\"v?(\\d+)[-\"]");

  /** A version that went down on one instance. */
  public record Regression(String instance, ListRef list, long from, long to, Instant at) {}

  /** The longest stretch in which a list showed no new version. */
  public record Pause(ListRef list, Instant from, Instant to) {
    public Duration duration() {
      return Duration.between(from, to);
    }
  }

  private record Key(String instance, ListRef list) {}

  private final Map<Key, Seen> highestByInstance = new HashMap<>();

  /** The highest version an instance served for a list, and when that response arrived. */
  private record Seen(long version, Instant receivedAt) {}

  private final Map<ListRef, Long> maxByList = new HashMap<>();
  private final Map<ListRef, List<Instant>> newVersionSeen = new HashMap<>();
  private final Map<ListRef, java.util.TreeSet<Instant>> submitted = new HashMap<>();
  private final List<Regression> regressions = new ArrayList<>();
  private long staleAcrossInstances;
  private long withoutVersion;

  /** The publication number in an ETag, if it carries one. */
  public static Optional<Long> version(String etag) {
    if (etag == null) {
      return Optional.empty();
    }
    Matcher m = ETAG_VERSION.matcher(etag);
    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  /** A fetch whose request started when its response arrived (sequential callers, tests). */
  public synchronized void observe(
      String instance, ListRef list, Optional<String> etag, Instant at) {
    observe(instance, list, etag, at, at);
  }

  /**
   * A fetch sent at {@code sentAt} and answered at {@code at}. A regression is a response older
   * than one the same instance had already delivered before this request was sent: two fetches in
   * flight at once may complete in either order, and the one sent first may carry the older version
   * without the instance ever going back.
   */
  public synchronized void observe(
      String instance, ListRef list, Optional<String> etag, Instant sentAt, Instant at) {
    Optional<Long> v = etag.flatMap(e -> version(e));
    if (v.isEmpty()) {
      withoutVersion++;
      return;
    }
    long version = v.get();
    Key key = new Key(instance, list);
    Seen highest = highestByInstance.get(key);
    if (highest != null && version < highest.version() && sentAt.isAfter(highest.receivedAt())) {
      regressions.add(new Regression(instance, list, highest.version(), version, at));
    }
    if (highest == null || version > highest.version()) {
      highestByInstance.put(key, new Seen(version, at));
    }
    Long max = maxByList.get(list);
    if (max == null || version > max) {
      maxByList.put(list, version);
      newVersionSeen.computeIfAbsent(list, k -> new ArrayList<>()).add(at);
    } else if (version < max) {
      staleAcrossInstances++;
    }
  }

  /** A change to {@code list} was sent for the first time at {@code at}. */
  public synchronized void submitted(ListRef list, Instant at) {
    submitted.computeIfAbsent(list, k -> new java.util.TreeSet<>()).add(at);
  }

  /**
   * For each list, the longest time a change waited for the list's next new version: from the first
   * change sent after a version was first seen until the next new version was first seen (a wait
   * still open at {@code to} ends there), clipped to {@code [from, to]}. A list nobody changed is
   * never paused, however long it keeps its version; so this is the publication pause issuers see,
   * not the gaps of an idle list. Only changes sent through {@link #submitted} count.
   */
  public synchronized List<Pause> longestPendingPauses(Instant from, Instant to) {
    List<Pause> out = new ArrayList<>();
    newVersionSeen.forEach(
        (list, seen) -> {
          java.util.TreeSet<Instant> sent = submitted.get(list);
          if (sent == null) {
            return;
          }
          Pause best = null;
          for (int i = 0; i < seen.size(); i++) {
            Instant prev = seen.get(i);
            Instant next = i + 1 < seen.size() ? seen.get(i + 1) : to;
            Instant firstSent = sent.higher(prev);
            if (firstSent == null || !firstSent.isBefore(next)) {
              continue;
            }
            Instant a = firstSent.isBefore(from) ? from : firstSent;
            Instant b = next.isAfter(to) ? to : next;
            if (b.isAfter(a)) {
              Pause p = new Pause(list, a, b);
              if (best == null || p.duration().compareTo(best.duration()) > 0) {
                best = p;
              }
            }
          }
          if (best != null) {
            out.add(best);
          }
        });
    out.sort((a, b) -> b.duration().compareTo(a.duration()));
    return out;
  }

  public synchronized List<Regression> regressions() {
    return List.copyOf(regressions);
  }

  public synchronized long staleAcrossInstances() {
    return staleAcrossInstances;
  }

  public synchronized long withoutVersion() {
    return withoutVersion;
  }

  public synchronized Map<ListRef, Long> maxVersions() {
    return Map.copyOf(maxByList);
  }
}
