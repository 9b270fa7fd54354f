package io.statusreg.streams.publication;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compressed page segments of the lists this instance publishes, kept across publications so
 * that re-publishing a list compresses only the pages changed since ({@link ListSegments}). One
 * cache per node, shared by its stream threads and bounded in bytes: the least recently published
 * lists are evicted first, and an evicted list is compressed whole again at its next publication.
 *
 * <p>A list's entry belongs to the publisher that built it (one per task initialisation): a
 * publisher takes its entry out while it publishes and puts it back after, so an entry is never
 * used by two threads, and an entry another publisher built (before a task moved or was wiped and
 * restored) is never trusted. {@link #dropOwner} forgets a closed task's lists.
 */
public final class SegmentCache {
  private final long maxBytes;
  private final LinkedHashMap<String, ListSegments> lists = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();

  /**
   * @param maxBytes the most the segments may hold (setting {@code publish.segment.cache.bytes})
   */
  public SegmentCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** A cache that keeps nothing: every publication compresses the whole list. */
  public static SegmentCache disabled() {
    return new SegmentCache(0);
  }

  /**
   * Takes {@code listKey}'s entry out of the cache if {@code owner} built it; null (a miss) when
   * there is none or another owner's, which is dropped.
   */
  synchronized ListSegments take(String listKey, Object owner) {
    ListSegments s = lists.remove(listKey);
    if (s != null) {
      bytes -= s.accounted();
      if (s.owner() == owner) {
        hits.incrementAndGet();
        return s;
      }
    }
    misses.incrementAndGet();
    return null;
  }

  /** Puts an entry back (after a publication), evicting the least recently used to fit. */
  synchronized void put(String listKey, ListSegments segments) {
    ListSegments old = lists.remove(listKey);
    if (old != null) {
      bytes -= old.accounted();
    }
    long size = segments.retainedBytes();
    if (size > maxBytes) {
      evictions.incrementAndGet();
      return;
    }
    Iterator<Map.Entry<String, ListSegments>> it = lists.entrySet().iterator();
    while (bytes + size > maxBytes && it.hasNext()) {
      bytes -= it.next().getValue().accounted();
      it.remove();
      evictions.incrementAndGet();
    }
    segments.accounted(size);
    lists.put(listKey, segments);
    bytes += size;
  }

  /** Forgets a list (retired, deleted, or its publication failed half-way). */
  synchronized void drop(String listKey) {
    ListSegments old = lists.remove(listKey);
    if (old != null) {
      bytes -= old.accounted();
    }
  }

  /** Forgets every list of {@code owner} (its task was closed: revoked, migrated or wiped). */
  synchronized void dropOwner(Object owner) {
    Iterator<Map.Entry<String, ListSegments>> it = lists.entrySet().iterator();
    while (it.hasNext()) {
      ListSegments s = it.next().getValue();
      if (s.owner() == owner) {
        bytes -= s.accounted();
        it.remove();
      }
    }
  }

  /** Bytes held now. */
  public synchronized long bytes() {
    return bytes;
  }

  /** Lists held now. */
  public synchronized int lists() {
    return lists.size();
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Publications that found their list's segments. */
  public long hits() {
    return hits.get();
  }

  /** Publications that compressed their list whole (first publication, evicted, other owner). */
  public long misses() {
    return misses.get();
  }

  /** Lists evicted to make room (or too big to keep). */
  public long evictions() {
    return evictions.get();
  }
}
