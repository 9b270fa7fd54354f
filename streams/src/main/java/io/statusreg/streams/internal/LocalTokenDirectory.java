package io.statusreg.streams.internal;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.streams.TokenDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TokenDirectory} over the global store of {@code statusreg.tokens}: every instance holds
 * every list's latest token in memory (a map lookup per verifier fetch) and the kept history in the
 * global RocksDB store, keyed {@code l/<list>} (latest) and {@code h/<list>/<iat ms, 15 digits>}
 * (history). The global processor maintains both and also runs when the store is restored.
 */
public final class LocalTokenDirectory implements TokenDirectory {
  private static final Logger log = LoggerFactory.getLogger(LocalTokenDirectory.class);
  private static final StringSerializer STRINGS = new StringSerializer();

  private final String storeName;
  private final Duration historyRetention;
  private final ConcurrentHashMap<ListId, PublishedToken> latest = new ConcurrentHashMap<>();
  // The lists of each issuer in name order: an issuer-level allocation or a quota check reads
  // one issuer's lists, never a scan of every list of the registry.
  private final ConcurrentHashMap<IssuerId, ConcurrentSkipListSet<ListId>> byIssuer =
      new ConcurrentHashMap<>();
  private final List<Consumer<PublishedToken>> listeners = new CopyOnWriteArrayList<>();
  private volatile KeyValueStore<String, byte[]> store;
  private volatile boolean caughtUp;

  public LocalTokenDirectory(String storeName, Duration historyRetention) {
    this.storeName = storeName;
    this.historyRetention = historyRetention;
  }

  /** The global processor that feeds this directory from {@code statusreg.tokens}. */
  public ProcessorSupplier<byte[], byte[], Void, Void> processor() {
    return Feeder::new;
  }

  /**
   * Drops in-memory lists that the global store no longer holds. The map outlives an in-process
   * restart of Streams (so that reads go on meanwhile); when the restarted global store was rebuilt
   * from {@code statusreg.tokens}, a list deleted (tombstoned and compacted) in between would
   * otherwise stay. Called once the restarted global store has caught up.
   *
   * @return how many lists were dropped
   */
  public int retainStored() {
    KeyValueStore<String, byte[]> s = store;
    if (s == null) {
      return 0;
    }
    java.util.Set<ListId> stored = new java.util.HashSet<>();
    try (KeyValueIterator<String, byte[]> it = s.prefixScan("l/", STRINGS)) {
      while (it.hasNext()) {
        try {
          stored.add(ListId.parse(it.next().key.substring(2)));
        } catch (RegistryException e) {
          // unreadable keys are not in the map either
        }
      }
    } catch (InvalidStateStoreException e) {
      log.warn("cannot reconcile the token directory with its store: {}", e.toString());
      return 0;
    }
    int dropped = 0;
    for (ListId id : latest.keySet()) {
      if (!stored.contains(id)) {
        forget(id);
        dropped++;
      }
    }
    return dropped;
  }

  /** Marks the directory as caught up (the node does it once the global store has restored). */
  public void markCaughtUp() {
    caughtUp = true;
  }

  @Override
  public Optional<PublishedToken> latest(ListId list) {
    return Optional.ofNullable(latest.get(list));
  }

  @Override
  public Optional<PublishedToken> at(ListId list, Instant time) {
    PublishedToken current = latest.get(list);
    if (current != null && current.validAt(time)) {
      return Optional.of(current);
    }
    KeyValueStore<String, byte[]> s = store;
    if (s == null || time.toEpochMilli() < 0) {
      return Optional.empty();
    }
    String prefix = historyPrefix(list.key());
    try (KeyValueIterator<String, byte[]> it =
        s.reverseRange(prefix, prefix + stamp(time.toEpochMilli()))) {
      if (it.hasNext()) {
        PublishedToken t = TokenSerde.fromBytes(it.next().value);
        return t.validAt(time) ? Optional.of(t) : Optional.empty();
      }
      return Optional.empty();
    } catch (InvalidStateStoreException e) {
      log.debug("token history of {} unavailable: {}", list, e.toString());
      return Optional.empty();
    }
  }

  @Override
  public List<ListId> lists(IssuerId issuer) {
    Set<ListId> lists = byIssuer.get(issuer);
    return lists == null ? List.of() : List.copyOf(lists);
  }

  @Override
  public boolean isCaughtUp() {
    return caughtUp;
  }

  @Override
  public void onPublished(Consumer<PublishedToken> listener) {
    listeners.add(listener);
  }

  private static String latestKey(String listKey) {
    return "l/" + listKey;
  }

  private static String historyPrefix(String listKey) {
    return "h/" + listKey + "/";
  }

  private static String stamp(long millis) {
    return String.format(Locale.ROOT, "%015d", Math.max(0, millis));
  }

  private void remember(PublishedToken token, boolean notify) {
    boolean[] newer = {false};
    latest.compute(
        token.listId(),
        (id, old) -> {
          if (old == null || token.version() > old.version()) {
            newer[0] = true;
            return token;
          }
          return old;
        });
    if (newer[0]) {
      // add and forget both change an issuer's set inside compute: a set emptied and dropped by
      // forget can never take a list that remember added at the same moment
      byIssuer.compute(
          token.listId().issuer(),
          (i, lists) -> {
            ConcurrentSkipListSet<ListId> set =
                lists != null
                    ? lists
                    : new ConcurrentSkipListSet<>(Comparator.comparing(ListId::name));
            set.add(token.listId());
            return set;
          });
    }
    if (notify && newer[0]) {
      for (Consumer<PublishedToken> listener : listeners) {
        try {
          listener.accept(token);
        } catch (RuntimeException e) {
          log.warn("token listener failed for {}", token.listId(), e);
        }
      }
    }
  }

  private void forget(ListId list) {
    latest.remove(list);
    byIssuer.computeIfPresent(
        list.issuer(),
        (i, lists) -> {
          lists.remove(list);
          return lists.isEmpty() ? null : lists;
        });
  }

  private final class Feeder implements Processor<byte[], byte[], Void, Void> {
    private KeyValueStore<String, byte[]> kv;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      kv = context.getStateStore(storeName);
      store = kv;
      try (KeyValueIterator<String, byte[]> it = kv.prefixScan("l/", STRINGS)) {
        while (it.hasNext()) {
          try {
            remember(TokenSerde.fromBytes(it.next().value), false);
          } catch (RegistryException e) {
            log.warn("skipping unreadable token in the directory store: {}", e.getMessage());
          }
        }
      }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (record.key() == null) {
        return;
      }
      String listKey = new String(record.key(), StandardCharsets.UTF_8);
      if (record.value() == null) {
        kv.delete(latestKey(listKey));
        try {
          forget(ListId.parse(listKey));
        } catch (RegistryException e) {
          log.warn("tombstone with a bad list key on the tokens topic: {}", e.getMessage());
        }
        return;
      }
      PublishedToken token;
      try {
        token = TokenSerde.fromBytes(record.value());
      } catch (RegistryException e) {
        // Unreadable publications cannot stop every instance's reads; they are skipped and logged.
        log.error("skipping unreadable token record for {}: {}", listKey, e.getMessage());
        return;
      }
      long iat = token.issuedAt().toEpochMilli();
      kv.put(latestKey(listKey), record.value());
      if (!historyRetention.isZero()) {
        long horizon = iat - historyRetention.toMillis() - 1;
        kv.put(historyPrefix(listKey) + stamp(iat), record.value());
        String prefix = historyPrefix(listKey);
        List<String> expired = new ArrayList<>();
        if (horizon >= 0) {
          try (KeyValueIterator<String, byte[]> it = kv.range(prefix, prefix + stamp(horizon))) {
            while (it.hasNext()) {
              expired.add(it.next().key);
            }
          }
        }
        expired.forEach(kv::delete);
      }
      remember(token, true);
    }
  }
}
