package io.statusreg.compaction.replay;

import io.statusreg.compaction.snapshots.ListSnapshot;
import io.statusreg.compaction.snapshots.SnapshotCodec;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.ListState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every list rebuilt from the log, and how far each {@code statusreg.events} partition was read.
 * Held in memory (pages are shared between versions, so a list costs about its non-empty pages);
 * {@link ReplayCommand} dumps it to a fresh directory.
 */
public final class RegistryState {
  private final SortedMap<ListId, ListFold> lists =
      new TreeMap<>(java.util.Comparator.comparing(ListId::key));
  private final Map<Integer, Long> positions = new HashMap<>();
  private final Map<ListId, Long> pins = new HashMap<>();
  private Instant until;
  long eventsApplied;
  long eventsCovered;
  long unreadable;

  RegistryState() {}

  ListFold fold(ListId id, int partition) {
    return lists.computeIfAbsent(
        id,
        k -> {
          ListFold f = new ListFold(partition);
          Long pin = pins.get(k);
          if (pin != null) {
            f.pin(pin);
          }
          return f;
        });
  }

  void load(ListSnapshot s) {
    ListFold f = ListFold.from(s);
    Long pin = pins.get(s.listId());
    if (pin != null) {
      f.pin(pin);
    }
    lists.put(s.listId(), f);
  }

  /**
   * Pins lists at versions (see {@link ListFold#pin}): lists folded from now on keep their state at
   * that version. A list already past its version keeps no state for it unless it was pinned there
   * before.
   */
  public void pin(Map<ListId, Long> versions) {
    pins.putAll(versions);
    versions.forEach(
        (id, v) -> {
          ListFold f = lists.get(id);
          if (f != null) {
            f.pin(v);
          }
        });
  }

  void position(int partition, long next) {
    positions.put(partition, next);
  }

  void until(Instant until) {
    this.until = until;
  }

  /** Folds with a created list, by list key (events of lists never created are dropped). */
  public SortedMap<ListId, ListFold> lists() {
    TreeMap<ListId, ListFold> out = new TreeMap<>(java.util.Comparator.comparing(ListId::key));
    lists.forEach(
        (k, v) -> {
          if (v.state().exists()) {
            out.put(k, v);
          }
        });
    return Collections.unmodifiableSortedMap(out);
  }

  public Optional<ListState> list(ListId id) {
    ListFold f = lists.get(id);
    return f == null || !f.state().exists() ? Optional.empty() : Optional.of(f.state());
  }

  /** Next offset to read per {@code statusreg.events} partition. */
  public Map<Integer, Long> positions() {
    return Map.copyOf(positions);
  }

  /** Set when the rebuild stopped at a time ({@code --until}): the state is historical. */
  public Optional<Instant> until() {
    return Optional.ofNullable(until);
  }

  public long eventsApplied() {
    return eventsApplied;
  }

  /** Events read but skipped because a snapshot already covered them. */
  public long eventsCovered() {
    return eventsCovered;
  }

  /** Records whose key or value could not be read. */
  public long unreadable() {
    return unreadable;
  }

  /**
   * SHA-256 over every list's snapshot body (metadata, entries, coordinates, recent ids), in list
   * order: two rebuilds of the same log give the same digest.
   */
  public String digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<ListId, ListFold> e : lists().entrySet()) {
        ListFold f = e.getValue();
        sha.update(
            SnapshotCodec.rawBody(
                f.toSnapshot(positions.getOrDefault(f.partition(), 0L), Instant.EPOCH)));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
