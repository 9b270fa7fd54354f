package io.statusreg.streams.internal;

import io.statusreg.registry.EventId;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.CommandFingerprint;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.streams.CommandGateway.EntryView;
import io.statusreg.streams.CommandGateway.Outcome;
import io.statusreg.streams.serde.Reply;
import io.statusreg.streams.serde.ReplySerde;
import io.statusreg.streams.serde.Request;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Decides one command of a list: answers a command id seen before from {@code command-replies}
 * (when it is the same request), otherwise decides it against the list's state, saves the effects
 * through {@link ListStore}, and builds and remembers the reply.
 *
 * <p>A command id is an idempotency key. Its reply is stored with the request it answered (list,
 * kind and {@link CommandFingerprint}); a later command with the id gets that reply only when it is
 * the same request, and a refusal {@link Rejection.Kind#KEY_REUSED} otherwise, with nothing applied
 * and nothing of the earlier reply (which may belong to another list or another issuer) in the
 * answer. Replies stored by the previous release carry no request; for those the reply's own shape
 * is checked (a compact change reply answers only the changes it was made for, an outcome only its
 * own list).
 */
final class CommandHandler {
  /** Marks a stored reply with its request (old records are bare reply JSON, starting with '{'). */
  private static final byte[] STORED_MAGIC = {0, 'R', 1};

  private final ListStore lists;
  private final WindowStore<String, byte[]> replies;
  private final long window;
  private final Duration publishInterval;
  private final Clock clock;
  private final Decider decider = new Decider();

  /** The events to append and the reply to send for one command. */
  record Handled(List<RegistryEvent> events, byte[] reply) {}

  CommandHandler(
      ListStore lists,
      WindowStore<String, byte[]> replies,
      Duration dedupWindow,
      Duration publishInterval,
      Clock clock) {
    this.lists = lists;
    this.replies = replies;
    this.window = dedupWindow.toMillis();
    this.publishInterval = publishInterval;
    this.clock = clock;
  }

  Handled decide(RegistryCommand command, String listKey, long time) {
    String commandKey = command.commandId().toString();
    byte[] earlier = earlierReply(commandKey, time);
    if (earlier != null) {
      return new Handled(List.of(), answerRetry(command, earlier));
    }
    ListStore.Loaded loaded = lists.load(listKey, time);
    ListState state = loaded.state();
    Decision decision = decider.decide(command, state);
    StatusAudit.decided(command, state, decision);
    Instant now = clock.instant();
    Outcome outcome;
    List<RegistryEvent> events;
    switch (decision) {
      case Decision.Accepted accepted -> {
        // The command id was not in command-replies, so none of its events was applied before.
        Set<EventId> fresh = new HashSet<>();
        accepted.events().forEach(e -> fresh.add(e.id()));
        loaded.ledger().fresh(fresh);
        ListState next = state.evolveAll(accepted.events());
        boolean publishes = lists.save(listKey, state, next, accepted.events(), loaded.ledger());
        events = accepted.events();
        outcome =
            new Outcome(
                decision,
                ReplySerde.allocated(decision, next.meta()),
                Optional.ofNullable(next.meta()),
                publishes ? now.plus(publishInterval) : now);
      }
      case Decision.Rejected rejected -> {
        events = List.of();
        outcome = new Outcome(decision, List.of(), Optional.ofNullable(state.meta()), now);
      }
    }
    Reply answer = new Reply.Decided(outcome);
    if (command instanceof RegistryCommand.ChangeStatus changes) {
      answer = CompactChanges.of(changes, outcome).<Reply>map(c -> c).orElse(answer);
    }
    byte[] reply = ReplySerde.toBytes(answer);
    replies.put(commandKey, stored(command, reply), time);
    return new Handled(events, reply);
  }

  /** Reads one entry of a list (an index outside the list is refused, never a 503). */
  Reply read(Request.ReadEntry r, String listKey, long time) {
    Optional<ListMeta> found = lists.meta(listKey);
    if (found.isEmpty()) {
      return new Reply.Entry(Optional.empty());
    }
    ListMeta meta = found.get();
    if (r.idx() < 0 || r.idx() >= meta.size()) {
      return new Reply.Failed(
          "index " + r.idx() + " is outside the list's range [0, " + meta.size() + ")");
    }
    ListState state = lists.load(listKey, time).state();
    Status status = state.statusAt(r.idx());
    int page = state.entries().pageOf(r.idx());
    boolean published = !lists.unpublished(listKey, r.idx(), page);
    long version = lists.publication(listKey).map(StoreCodecs.Publication::version).orElse(0L);
    return new Reply.Entry(
        Optional.of(
            new EntryView(
                meta.listId(),
                r.idx(),
                status,
                meta.isAllocated(r.idx()),
                published && version > 0,
                version)));
  }

  private byte[] earlierReply(String commandKey, long time) {
    try (WindowStoreIterator<byte[]> it =
        replies.fetch(commandKey, Math.max(0, time - window), time + window)) {
      byte[] found = null;
      while (it.hasNext()) {
        found = it.next().value;
      }
      return found;
    }
  }

  /** The stored reply when it answers {@code command}'s request, else a KEY_REUSED refusal. */
  private byte[] answerRetry(RegistryCommand command, byte[] earlier) {
    if (startsWithMagic(earlier)) {
      String[] request = request(earlier);
      byte[] reply = Arrays.copyOfRange(earlier, replyOffset(earlier), earlier.length);
      boolean same =
          request.length == 3
              && request[0].equals(command.listId().key())
              && request[1].equals(CommandFingerprint.kind(command))
              && request[2].equals(CommandFingerprint.of(command));
      return same ? reply : keyReused(command);
    }
    // A reply stored by the previous release: only its shape can tell.
    Reply reply = ReplySerde.fromBytes(earlier);
    boolean fits =
        switch (reply) {
          case Reply.ChangesAccepted compact ->
              command instanceof RegistryCommand.ChangeStatus changes
                  && CompactChanges.answers(compact, changes);
          case Reply.Decided d ->
              d.outcome().meta().map(m -> m.listId().equals(command.listId())).orElse(true);
          case Reply.Entry e -> false;
          case Reply.Failed f -> true;
        };
    return fits ? earlier : keyReused(command);
  }

  private byte[] keyReused(RegistryCommand command) {
    return ReplySerde.toBytes(
        new Reply.Decided(
            new Outcome(
                Decision.rejected(
                    Rejection.Kind.KEY_REUSED,
                    "the idempotency key was already used for a different request; nothing was"
                        + " applied"),
                List.of(),
                Optional.empty(),
                clock.instant())));
  }

  private static byte[] stored(RegistryCommand command, byte[] reply) {
    byte[] head =
        (command.listId().key()
                + "\n"
                + CommandFingerprint.kind(command)
                + "\n"
                + CommandFingerprint.of(command)
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[STORED_MAGIC.length + head.length + reply.length];
    System.arraycopy(STORED_MAGIC, 0, out, 0, STORED_MAGIC.length);
    System.arraycopy(head, 0, out, STORED_MAGIC.length, head.length);
    System.arraycopy(reply, 0, out, STORED_MAGIC.length + head.length, reply.length);
    return out;
  }

  private static boolean startsWithMagic(byte[] stored) {
    return stored.length > STORED_MAGIC.length
        && Arrays.equals(stored, 0, STORED_MAGIC.length, STORED_MAGIC, 0, STORED_MAGIC.length);
  }

  /** The three request lines of a stored reply (list key, kind, fingerprint). */
  private static String[] request(byte[] stored) {
    int end = replyOffset(stored);
    String head =
        new String(stored, STORED_MAGIC.length, end - STORED_MAGIC.length, StandardCharsets.UTF_8);
    return head.substring(0, head.length() - 1).split("\n", -1);
  }

  /** Offset of the reply after the third newline of the head. */
  private static int replyOffset(byte[] stored) {
    int lines = 0;
    for (int i = STORED_MAGIC.length; i < stored.length; i++) {
      if (stored[i] == '\n' && ++lines == 3) {
        return i + 1;
      }
    }
    return stored.length;
  }
}
