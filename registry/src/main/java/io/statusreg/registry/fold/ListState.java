package io.statusreg.registry.fold;

import io.statusreg.registry.Status;
import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.lists.StatusList;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One list's state: its metadata and entries ({@code null} both before the list is created), and
 * the ledger of applied event ids. {@link #evolve} folds one event; it never throws for an event
 * the rules refuse, it ignores it and counts it in {@link ListMeta#ignored()}.
 *
 * <p>A state read from storage may load its pages on demand ({@link #onDemand}): every entry read
 * or written goes through its page, which is fetched from the {@link PageSource} the first time, so
 * no caller has to predict which pages a command will touch (a page that was not loaded can never
 * read as VALID by mistake). {@link #writtenPages()} says which pages the fold changed, i.e. which
 * pages a store must write back.
 *
 * <p>Equality compares metadata and entries, not the ledger.
 */
public record ListState(ListMeta meta, StatusList entries, EventLedger ledger, Pages pages) {

  /** Where a stored list's pages come from: the bytes of page {@code n}, or null when all zero. */
  @FunctionalInterface
  public interface PageSource {
    byte[] read(int page);
  }

  /**
   * The on-demand pages of a state: the source (each page read at most once, shared by the states
   * folded from one load) and the pages this state has materialised in {@link #entries} (a bit per
   * page, copied when a page is added and never changed after).
   */
  public static final class Pages {
    private final Loader loader;
    private final BitSet materialised;

    Pages(Loader loader, BitSet materialised) {
      this.loader = loader;
      this.materialised = materialised;
    }

    boolean has(int page) {
      return materialised.get(page);
    }

    Pages with(int page) {
      if (materialised.get(page)) {
        return this;
      }
      BitSet more = (BitSet) materialised.clone();
      more.set(page);
      return new Pages(loader, more);
    }

    Set<Integer> written() {
      return materialised.stream().boxed().collect(Collectors.toUnmodifiableSet());
    }
  }

  /** Reads and remembers stored pages (the storage as it was at load time, never modified). */
  static final class Loader {
    private final PageSource source;
    private final Map<Integer, byte[]> read = new HashMap<>();
    private final StatusList empty;
    // The pages read so far, for reads of entries not yet materialised in a state. An editor, so
    // that a page read costs one copy of the page, not a copy of the list's page table as well.
    private final StatusList.Editor stored;

    Loader(PageSource source, StatusList empty) {
      this.source = source;
      this.empty = empty;
      this.stored = empty.edit();
    }

    byte[] page(int n) {
      if (!read.containsKey(n)) {
        byte[] bytes = source.read(n);
        read.put(n, bytes);
        if (bytes != null) {
          stored.putPage(n, bytes);
        }
      }
      return read.get(n);
    }

    int get(long idx) {
      page(empty.pageOf(idx));
      return stored.get(idx);
    }
  }

  /** A state over metadata, entries that are complete, and a ledger. */
  public ListState(ListMeta meta, StatusList entries, EventLedger ledger) {
    this(meta, entries, ledger, null);
  }

  /**
   * A stored list's state whose pages are read from {@code source} when first needed. {@code meta}
   * must not be null.
   */
  public static ListState onDemand(ListMeta meta, PageSource source, EventLedger ledger) {
    StatusList empty = StatusList.empty(meta.bits(), meta.size());
    return new ListState(meta, empty, ledger, new Pages(new Loader(source, empty), new BitSet()));
  }

  /** The pages the fold wrote into this state (empty for a state that is not on demand). */
  public Set<Integer> writtenPages() {
    return pages == null ? Set.of() : pages.written();
  }

  /** Default number of recent event ids remembered per list by in-memory folds. */
  public static final int LEDGER_CAPACITY = 4096;

  public static ListState initial() {
    return new ListState(null, null, EventLedger.recent(LEDGER_CAPACITY));
  }

  /** A state over metadata and entries loaded from storage, with the given ledger. */
  public static ListState of(ListMeta meta, StatusList entries, EventLedger ledger) {
    return new ListState(meta, entries, ledger);
  }

  public boolean exists() {
    return meta != null;
  }

  public Status statusAt(long idx) {
    if (pages == null || pages.has(entries.pageOf(idx))) {
      return Status.fromCode(entries.get(idx));
    }
    return Status.fromCode(pages.loader.get(idx));
  }

  public ListState evolve(RegistryEvent event) {
    Fold fold = new Fold(this);
    fold.apply(event);
    return fold.state();
  }

  /**
   * A mutable fold starting from this state, for folding many events: entries are edited in place
   * ({@link StatusList.Editor}) instead of copying a page per change. {@link #evolve} is one event
   * of such a fold, so both follow the same rules.
   */
  public Fold fold() {
    return new Fold(this);
  }

  /**
   * Folds events one by one; {@link #state()} hands out an immutable state at any point. The
   * metadata's counters (cursor, version, ignored, flags, time of the last change) are kept in
   * fields and put into a {@link ListMeta} only when it is asked for, not once per event.
   */
  public static final class Fold {
    /** The metadata as last handed out or loaded; its shape and key never change. */
    private ListMeta meta;

    private boolean metaStale;
    private long cursor;
    private boolean full;
    private boolean retired;
    private long version;
    private long ignored;
    private Instant updatedAt;
    private StatusList entries;
    private StatusList.Editor editor;
    private EventLedger ledger;
    private Pages pages;
    private ListState state;

    private Fold(ListState from) {
      load(from.meta);
      this.entries = from.entries;
      this.ledger = from.ledger;
      this.pages = from.pages;
      this.state = from;
    }

    private void load(ListMeta m) {
      meta = m;
      metaStale = false;
      if (m != null) {
        cursor = m.cursor();
        full = m.full();
        retired = m.retired();
        version = m.version();
        ignored = m.ignored();
        updatedAt = m.updatedAt();
      }
    }

    /** The metadata now ({@code null} before the list is created). */
    public ListMeta meta() {
      if (metaStale) {
        meta = meta.evolved(cursor, full, retired, version, ignored, updatedAt);
        metaStale = false;
      }
      return meta;
    }

    /** The list's version now ({@link ListMeta#version()}; 0 before the list is created). */
    public long version() {
      return meta == null ? 0 : version;
    }

    /** The state as folded so far. */
    public ListState state() {
      if (state == null) {
        if (editor != null) {
          entries = editor.list();
        }
        state = new ListState(meta(), entries, ledger, pages);
      }
      return state;
    }

    private int entry(long idx) {
      if (pages != null && !pages.has(entries.pageOf(idx))) {
        return pages.loader.get(idx);
      }
      return editor != null ? editor.get(idx) : entries.get(idx);
    }

    /** Brings the stored page of {@code idx} into the entries before it is written. */
    private void materialise(long idx) {
      if (pages == null) {
        return;
      }
      int page = entries.pageOf(idx);
      if (pages.has(page)) {
        return;
      }
      byte[] stored = pages.loader.page(page);
      if (stored != null) {
        // Into the editor: handing out a list and copying its page table per page read made a bulk
        // over a big list copy the table (24,414 entries for 100M entries of 8 bits) twice per
        // page.
        if (editor == null) {
          editor = entries.edit();
        }
        editor.putPage(page, stored);
      }
      pages = pages.with(page);
    }

    private void ignore() {
      ignored++;
      metaStale = true;
    }

    /** One more event of the list applied, at {@code at} (the version counts it). */
    private void advance(Instant at) {
      version++;
      updatedAt = at;
      metaStale = true;
    }

    private void set(long idx, int value) {
      materialise(idx);
      if (editor == null) {
        editor = entries.edit();
      }
      editor.set(idx, value);
    }

    /** Folds one event; an event the rules refuse is ignored and counted. */
    public void apply(RegistryEvent event) {
      if (ledger.contains(event.id())) {
        return;
      }
      state = null;
      ledger = ledger.record(event.id());
      boolean exists = meta != null;
      if (!(event instanceof ListCreated) && !exists) {
        return;
      }
      if (exists && !event.listId().equals(meta.listId())) {
        // A record routed to the wrong list: never let it touch this one.
        ignore();
        return;
      }
      switch (event) {
        case ListCreated e -> {
          if (exists) {
            ignore();
          } else if (StatusList.isValidShape(e.bits(), e.size())
              && (e.kind() != ListKind.IDENTIFIER_LIST || e.bits() == 1)) {
            load(ListMeta.created(e));
            entries = StatusList.empty(e.bits(), e.size());
            editor = null;
          }
        }
        case IndexesAllocated e -> {
          if (e.fromCursor() < 0 || e.count() < 1 || e.fromCursor() > meta.size() - e.count()) {
            ignore();
          } else {
            cursor = Math.max(cursor, e.fromCursor() + e.count());
            advance(e.at());
          }
        }
        case StatusChanged e -> {
          if (meta.isIdentifierList()
              || e.idx() < 0
              || e.idx() >= meta.size()
              || !e.status().fitsIn(meta.bits())) {
            ignore();
            return;
          }
          Status current = Status.fromCode(entry(e.idx()));
          if (current.isTerminal() && current != e.status()) {
            ignore();
            return;
          }
          set(e.idx(), e.status().code());
          advance(e.at());
        }
        case IdentifierRevoked e -> {
          if (!meta.isIdentifierList() || e.slot() < 0 || e.slot() >= meta.size()) {
            ignore();
            return;
          }
          // Revoking an identifier already revoked changes no entry: revocation is permanent.
          if (entry(e.slot()) == 0) {
            set(e.slot(), 1);
          }
          advance(e.at());
        }
        case ListFull e -> {
          full = true;
          advance(e.at());
        }
        case ListRetired e -> {
          retired = true;
          advance(e.at());
        }
      }
    }
  }

  /** Folds a sequence of events from {@code this}. */
  public ListState evolveAll(Iterable<? extends RegistryEvent> events) {
    Fold fold = new Fold(this);
    for (RegistryEvent event : events) {
      fold.apply(event);
    }
    return fold.state();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListState other
        && java.util.Objects.equals(meta, other.meta)
        && java.util.Objects.equals(entries, other.entries);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(meta, entries);
  }
}
