package io.statusreg.api.issuance;

import io.statusreg.registry.ListId;
import io.statusreg.streams.TokenDirectory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a new list's first token to reach this instance's {@link TokenDirectory}, from which
 * the verifier route serves it. A list's owner publishes it on its next publication tick and the
 * token becomes readable at the next commit, a few hundred milliseconds after the creation was
 * decided; an issuer that hands out a credential as soon as it has its index must not send its
 * verifiers to a URI that answers 404 meanwhile.
 */
final class FirstPublications {
  private final TokenDirectory directory;
  private final Map<ListId, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  FirstPublications(TokenDirectory directory) {
    this.directory = directory;
    // The directory records a token before it calls its listeners: once this runs, latest() has it.
    directory.onPublished(
        token -> {
          CompletableFuture<Void> f = waiting.remove(token.listId());
          if (f != null) {
            f.complete(null);
          }
        });
  }

  /**
   * Whether the list's token is in the directory, waiting at most {@code bound} for it.
   *
   * @throws InterruptedException if the calling thread is interrupted while it waits
   */
  boolean await(ListId list, Duration bound) throws InterruptedException {
    if (directory.latest(list).isPresent()) {
      return true;
    }
    if (bound.isZero()) {
      return false;
    }
    CompletableFuture<Void> f = waiting.computeIfAbsent(list, k -> new CompletableFuture<>());
    // Published between the first look and the registration: the listener found nobody waiting.
    if (directory.latest(list).isPresent()) {
      waiting.remove(list, f);
      f.complete(null);
      return true;
    }
    try {
      f.get(bound.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      waiting.remove(list, f);
      return directory.latest(list).isPresent();
    } catch (ExecutionException e) {
      throw new IllegalStateException("never completed exceptionally", e);
    }
  }

  /** Lists with a caller waiting (for tests and the log). */
  int waiting() {
    return waiting.size();
  }
}
