package io.statusreg.streams.internal;

import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.ListState;
import io.statusreg.streams.internal.StoreCodecs.Dirty;
import io.statusreg.streams.internal.StoreCodecs.Publication;
import io.statusreg.streams.publication.PageSource;
import io.statusreg.streams.serde.ListMetaCodec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The state stores of a task's lists, and the only code that reads or writes them: a list's
 * metadata ({@code list-meta}), its 4 KiB pages ({@code list-pages}, key {@code <list>/<page>}),
 * the lists with changes not yet published ({@code list-dirty}), each list's latest publication
 * ({@code list-publications}) and the applied event ids ({@code event-ids}).
 *
 * <p>{@link #load} gives a list's state with pages read on demand: whatever page a decision or the
 * fold reads is fetched when it is first read, and {@link #save} writes back exactly the pages the
 * fold changed.
 */
final class ListStore {
  private static final StringSerializer STRINGS = new StringSerializer();

  private final KeyValueStore<String, byte[]> metas;
  private final KeyValueStore<String, byte[]> pages;
  private final KeyValueStore<String, byte[]> dirty;
  private final KeyValueStore<String, byte[]> publications;
  private final WindowStore<String, byte[]> eventIds;
  private final long dedupWindowMillis;
  private long nextRefreshScan = Long.MIN_VALUE;

  /** A loaded list: its state and the ledger the fold records applied event ids in. */
  record Loaded(ListState state, StoreLedger ledger) {}

  /**
   * The lists due for publication: dirty ones (with their oldest change) and refreshes (with the
   * refresh time their token reached, epoch ms).
   */
  record Due(Map<String, Change> changed, Map<String, Long> refresh) {}

  /**
   * What a dirty list's next publication must show: its oldest change not yet published and the
   * pages changed since its last publication ({@code null}: unknown or too many, every page).
   */
  record Change(Instant oldest, int[] pages) {}

  ListStore(
      KeyValueStore<String, byte[]> metas,
      KeyValueStore<String, byte[]> pages,
      KeyValueStore<String, byte[]> dirty,
      KeyValueStore<String, byte[]> publications,
      WindowStore<String, byte[]> eventIds,
      long dedupWindowMillis) {
    this.metas = metas;
    this.pages = pages;
    this.dirty = dirty;
    this.publications = publications;
    this.eventIds = eventIds;
    this.dedupWindowMillis = dedupWindowMillis;
  }

  public static String pageKey(String listKey, int page) {
    return listKey + "/" + page;
  }

  Optional<ListMeta> meta(String listKey) {
    byte[] bytes = metas.get(listKey);
    return bytes == null ? Optional.empty() : Optional.of(ListMetaCodec.decode(bytes));
  }

  /** The list's state as of {@code time} (the command's), pages loaded on demand. */
  Loaded load(String listKey, long time) {
    StoreLedger ledger = new StoreLedger(eventIds, time, dedupWindowMillis);
    Optional<ListMeta> meta = meta(listKey);
    ListState state =
        meta.isEmpty()
            ? ListState.of(null, null, ledger)
            : ListState.onDemand(meta.get(), page -> pages.get(pageKey(listKey, page)), ledger);
    return new Loaded(state, ledger);
  }

  /** A list's pages as the publisher reads them, straight from the store. */
  PageSource pageSource(String listKey) {
    return new PageSource() {
      @Override
      public byte[] page(int n) {
        return pages.get(pageKey(listKey, n));
      }

      @Override
      public void forEachPage(java.util.function.ObjIntConsumer<byte[]> action) {
        String prefix = listKey + "/";
        try (KeyValueIterator<String, byte[]> it = pages.prefixScan(prefix, STRINGS)) {
          while (it.hasNext()) {
            var kv = it.next();
            action.accept(kv.value, Integer.parseInt(kv.key.substring(prefix.length())));
          }
        }
      }
    };
  }

  /**
   * Writes what a decision changed (the metadata, the pages the fold wrote) and marks the list
   * dirty; returns whether a publication is due. (The command's dedup record is its stored reply,
   * written by the {@link CommandHandler}; see {@link StoreLedger}.)
   */
  boolean save(String listKey, ListState before, ListState next, List<RegistryEvent> events) {
    if (next.meta() == null) {
      return false;
    }
    if (!next.meta().equals(before.meta())) {
      metas.put(listKey, ListMetaCodec.encode(next.meta()));
    }
    TreeSet<Long> changedIndexes = new TreeSet<>();
    boolean created = false;
    boolean metaChanged = false;
    long oldest = Long.MAX_VALUE;
    for (RegistryEvent event : events) {
      oldest = Math.min(oldest, event.at().toEpochMilli());
      switch (event) {
        case StatusChanged sc -> changedIndexes.add(sc.idx());
        case IdentifierRevoked ir -> changedIndexes.add(ir.slot());
        case ListCreated lc -> created = true;
        // The published token carries the allocation cursor (the API picks a list with room by
        // it) and whether the list is full or retired: these changes publish too.
        case IndexesAllocated a -> metaChanged = true;
        case ListFull f -> metaChanged = true;
        case ListRetired r -> metaChanged = true;
      }
    }
    Set<Integer> changedPages = next.writtenPages();
    for (int page : changedPages) {
      if (next.entries().hasPage(page)) {
        pages.put(pageKey(listKey, page), next.entries().page(page));
      } else {
        pages.delete(pageKey(listKey, page));
      }
    }
    if (!created && !metaChanged && changedPages.isEmpty()) {
      return false;
    }
    int[] pagesNow = changedPages.stream().mapToInt(Integer::intValue).sorted().toArray();
    long[] indexesNow = changedIndexes.stream().mapToLong(Long::longValue).toArray();
    byte[] existing = dirty.get(listKey);
    Dirty d =
        existing == null
            ? Dirty.of(oldest, created, pagesNow, indexesNow)
            : Dirty.decode(existing).merge(oldest, created, pagesNow, indexesNow);
    dirty.put(listKey, d.encode());
    return true;
  }

  /** Whether entry {@code idx} changed since the list's last publication. */
  boolean unpublished(String listKey, long idx, int page) {
    byte[] d = dirty.get(listKey);
    return d != null && Dirty.decode(d).covers(idx, page);
  }

  Optional<Publication> publication(String listKey) {
    byte[] p = publications.get(listKey);
    return p == null ? Optional.empty() : Optional.of(Publication.decode(p));
  }

  /**
   * Every dirty list whose last publication is at least one interval old, and (at most once until
   * the next refresh time) every other list whose token reaches its refresh time: a list in both is
   * published once, as a change (that publication refreshes its token too).
   */
  Due due(long now, long interval) {
    // Collected first (publishing deletes from the store being iterated), with the oldest change
    // read during the scan rather than by a second lookup per list.
    Map<String, Change> changed = new LinkedHashMap<>();
    try (KeyValueIterator<String, byte[]> it = dirty.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        byte[] p = publications.get(kv.key);
        if (p == null || Publication.decode(p).publishedAt() + interval <= now) {
          Dirty d = Dirty.decode(kv.value);
          changed.put(
              kv.key,
              new Change(
                  Instant.ofEpochMilli(d.oldestChangeAt()), d.allPages() ? null : d.pages()));
        }
      }
    }
    Map<String, Long> refresh = new LinkedHashMap<>();
    if (now >= nextRefreshScan) {
      long next = Long.MAX_VALUE;
      try (KeyValueIterator<String, byte[]> it = publications.all()) {
        while (it.hasNext()) {
          var kv = it.next();
          Publication p = Publication.decode(kv.value);
          if (p.refreshAt() <= now) {
            if (!changed.containsKey(kv.key)) {
              refresh.put(kv.key, p.refreshAt());
            }
          } else {
            next = Math.min(next, p.refreshAt());
          }
        }
      }
      nextRefreshScan = next;
    }
    return new Due(changed, refresh);
  }

  /** Records a publication: the list is clean until its next change. */
  void published(String listKey, Publication publication) {
    publications.put(listKey, publication.encode());
    nextRefreshScan = Math.min(nextRefreshScan, publication.refreshAt());
    dirty.delete(listKey);
  }

  /** Makes the refresh scan run again at {@code at} (a refresh that was put off until then). */
  void refreshAgainAt(long at) {
    nextRefreshScan = Math.min(nextRefreshScan, at);
  }

  /** A dirty mark of a list that no longer exists. */
  void forget(String listKey) {
    dirty.delete(listKey);
  }
}
