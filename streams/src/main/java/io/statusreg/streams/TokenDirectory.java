package io.statusreg.streams;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every instance's local copy of the published tokens (a global store over {@code
 * statusreg.tokens}, plus kept history). Reads never depend on partition ownership, so a rebalance
 * cannot make a token unreachable.
 */
public interface TokenDirectory {
  /** The latest publication of a list. */
  Optional<PublishedToken> latest(ListId list);

  /** The publication whose validity contains {@code time}, if it is inside the kept history. */
  Optional<PublishedToken> at(ListId list, Instant time);

  /** The ids of an issuer's lists that have been published, sorted. */
  List<ListId> lists(IssuerId issuer);

  /** Whether the local copy has caught up with {@code statusreg.tokens} since start. */
  boolean isCaughtUp();

  /** Called with every new publication as it arrives (e.g. to refresh an HTTP cache). */
  void onPublished(Consumer<PublishedToken> listener);
}
