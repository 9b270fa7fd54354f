package io.statusreg.api.testing;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import io.statusreg.streams.TokenDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An in-memory token directory with history; {@link #publish} notifies listeners. */
public final class FakeDirectory implements TokenDirectory {
  private final Map<ListId, List<PublishedToken>> history = new ConcurrentHashMap<>();
  private final List<Consumer<PublishedToken>> listeners = new CopyOnWriteArrayList<>();
  public volatile boolean caughtUp = true;

  public void publish(PublishedToken token) {
    history.computeIfAbsent(token.listId(), k -> new CopyOnWriteArrayList<>()).add(token);
    listeners.forEach(l -> l.accept(token));
  }

  /** A token whose representations are recognisable text. */
  public static PublishedToken token(
      ListId list, long version, Instant iat, Duration validity, Duration ttl, boolean w3c) {
    String base = "tok-" + list.name() + "-v" + version + "-";
    String padding = "x".repeat(400);
    return new PublishedToken(
        list,
        "http://localhost:8080/statuslists/" + list.key(),
        version,
        1,
        1000,
        10,
        new long[] {990, 10},
        iat,
        iat.plus(validity),
        ttl,
        "kid-1",
        "\"v" + version + "\"",
        (base + "jwt" + padding).getBytes(StandardCharsets.UTF_8),
        (base + "cwt" + padding).getBytes(StandardCharsets.UTF_8),
        w3c ? (base + "w3c" + padding).getBytes(StandardCharsets.UTF_8) : new byte[0],
        iat.minusMillis(300),
        version + 1);
  }

  /** An identifier list publication ({@link PublishedToken#IDENTIFIER_LIST_BITS}, CWT only). */
  public static PublishedToken identifierList(
      ListId list, long version, Instant iat, Duration validity, Duration ttl) {
    PublishedToken t = token(list, version, iat, validity, ttl, false);
    return new PublishedToken(
        t.listId(),
        t.uri(),
        t.version(),
        PublishedToken.IDENTIFIER_LIST_BITS,
        t.size(),
        0,
        t.counts(),
        t.issuedAt(),
        t.expiresAt(),
        t.ttl(),
        t.kid(),
        t.etag(),
        new byte[0],
        t.cwt(),
        new byte[0],
        t.oldestChangeAt(),
        t.foldedEvents());
  }

  @Override
  public Optional<PublishedToken> latest(ListId list) {
    List<PublishedToken> h = history.get(list);
    return h == null || h.isEmpty() ? Optional.empty() : Optional.of(h.getLast());
  }

  @Override
  public Optional<PublishedToken> at(ListId list, Instant time) {
    List<PublishedToken> h = history.getOrDefault(list, List.of());
    for (int i = h.size() - 1; i >= 0; i--) {
      if (h.get(i).validAt(time)) {
        return Optional.of(h.get(i));
      }
    }
    return Optional.empty();
  }

  @Override
  public List<ListId> lists(IssuerId issuer) {
    List<ListId> out = new ArrayList<>();
    for (ListId id : history.keySet()) {
      if (id.issuer().equals(issuer)) {
        out.add(id);
      }
    }
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  @Override
  public boolean isCaughtUp() {
    return caughtUp;
  }

  @Override
  public void onPublished(Consumer<PublishedToken> listener) {
    listeners.add(listener);
  }
}
