package io.statusreg.api.verifier;

import io.statusreg.api.ApiSettings;
import io.statusreg.api.http.Route;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.ListId;
import io.statusreg.streams.TokenDirectory;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest publication of every list this instance has served or seen published, prepared for
 * serving and keyed by its request path ({@code /statuslists/{issuer}/{list}}), so that a verifier
 * fetch is one map lookup with no parsing. Fed by the owner's {@link TokenDirectory#onPublished}
 * listener ({@link #accept}); a miss falls back to the directory and fills the cache.
 */
public final class TokenCache {
  private static final Logger log = LoggerFactory.getLogger(TokenCache.class);
  private static final String PATH_PREFIX = Route.TOKEN.prefix();

  private final TokenDirectory directory;
  private final History history;

  /**
   * The latest publication of each list, keyed by its path, {@code /statuslists/{issuer}/{list}}.
   */
  private final Map<String, PreparedList> byPath = new ConcurrentHashMap<>();

  /**
   * @param historyBytes budget of the past publications kept prepared for {@code ?time=}
   */
  public TokenCache(TokenDirectory directory, long historyBytes) {
    this.directory = directory;
    this.history = new History(historyBytes);
  }

  /** With the default history budget, {@code http.history.cache.bytes}'s. */
  public TokenCache(TokenDirectory directory) {
    this(directory, ApiSettings.HTTP_HISTORY_CACHE_BYTES.read(Map.of()));
  }

  /** Takes a new publication in, unless a newer one of the same list is already here. */
  public void accept(PublishedToken token) {
    try {
      String path = path(token.listId().issuer().value(), token.listId().name());
      PreparedList current = byPath.get(path);
      if (current != null && current.token().version() >= token.version()) {
        return; // already serving this publication or a newer one: skip hashing and gzip
      }
      byPath.merge(path, PreparedList.of(token), TokenCache::newer);
    } catch (RuntimeException e) {
      log.error("preparing publication {} v{}", token.listId(), token.version(), e);
    }
  }

  private static PreparedList newer(PreparedList old, PreparedList neu) {
    return neu.token().version() >= old.token().version() ? neu : old;
  }

  /**
   * The cached latest publication at a request path ({@code /statuslists/{issuer}/{list}}, as
   * decoded by Jetty), or null: one map lookup, no parsing.
   */
  public PreparedList cachedAt(String path) {
    return path == null ? null : byPath.get(path);
  }

  /** The cached latest publication, or null (no parsing, no directory access). */
  public PreparedList cached(String issuer, String name) {
    return byPath.get(path(issuer, name));
  }

  private static String path(String issuer, String name) {
    return PATH_PREFIX + issuer + "/" + name;
  }

  /** The latest publication, from the cache or else from the directory. */
  public Optional<PreparedList> latest(ListId list) {
    PreparedList hit = cached(list.issuer().value(), list.name());
    if (hit != null) {
      return Optional.of(hit);
    }
    Optional<PublishedToken> token = directory.latest(list);
    token.ifPresent(this::accept);
    return Optional.ofNullable(cached(list.issuer().value(), list.name()));
  }

  /**
   * The publication valid at {@code time}. A past publication is prepared (hashed and gzipped) once
   * and kept within the history budget, most recently used first, so that repeated history lookups
   * cost a directory seek, not a re-encoding.
   */
  public Optional<PreparedList> at(ListId list, Instant time) {
    PreparedList hit = cached(list.issuer().value(), list.name());
    if (hit != null && hit.token().validAt(time)) {
      return Optional.of(hit);
    }
    return directory.at(list, time).map(history::prepared);
  }

  /** Past publications prepared for serving, within a byte budget (least recently used out). */
  public int historyCached() {
    return history.size();
  }

  /** Times a history lookup had to prepare a publication (a miss of the history cache). */
  public long historyPrepared() {
    return history.prepared.sum();
  }

  private static final class History {
    private final long budget;
    private final LinkedHashMap<String, PreparedList> entries =
        new LinkedHashMap<>(16, 0.75f, true);
    private final LongAdder prepared = new LongAdder();
    private long bytes;

    History(long budget) {
      this.budget = budget;
    }

    PreparedList prepared(PublishedToken token) {
      String key = token.listId().key() + "@" + token.version();
      synchronized (this) {
        PreparedList hit = entries.get(key);
        if (hit != null) {
          return hit;
        }
      }
      PreparedList fresh = PreparedList.of(token);
      prepared.increment();
      long size = fresh.bytes();
      if (size > budget) {
        return fresh;
      }
      synchronized (this) {
        PreparedList raced = entries.putIfAbsent(key, fresh);
        if (raced != null) {
          return raced;
        }
        bytes += size;
        for (Iterator<PreparedList> it = entries.values().iterator();
            bytes > budget && it.hasNext(); ) {
          PreparedList old = it.next();
          bytes -= old.bytes();
          it.remove();
        }
      }
      return fresh;
    }

    synchronized int size() {
      return entries.size();
    }
  }

  /** Issue time of the oldest cached latest publication (for the token age metric). */
  public Optional<Instant> oldestIssuedAt() {
    return earliest(PublishedToken::issuedAt);
  }

  /** The earliest {@code exp} of the cached latest publications (for the expiry metric). */
  public Optional<Instant> earliestExpiresAt() {
    return earliest(PublishedToken::expiresAt);
  }

  private Optional<Instant> earliest(Function<PublishedToken, Instant> time) {
    return byPath.values().stream().map(p -> time.apply(p.token())).min(Instant::compareTo);
  }

  public int size() {
    return byPath.size();
  }
}
