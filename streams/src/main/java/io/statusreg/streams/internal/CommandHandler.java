package io.statusreg.streams.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.EventId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.CommandFingerprint;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.serde.Reply;
import io.statusreg.streams.serde.ReplySerde;
import io.statusreg.streams.serde.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
  /**
   * A stored reply is the reply's JSON with one more member, first: {@code "request":{"list":...,
   * "kind":...,"fingerprint":...}}. Readers of the reply format ignore members they do not know, so
   * the previous release reads these records too (a task may move back to it during a rolling
   * upgrade), and records it stored (without the member) are read here.
   */
  private static final String REQUEST = "request";

  private static final byte[] STORED_PREFIX =
      ("{\"" + REQUEST + "\":").getBytes(StandardCharsets.UTF_8);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ListStore lists;
  private final WindowStore<String, byte[]> replies;
  private final long window;
  private final Duration publishInterval;
  private final Clock clock;
  private final Decider decider;

  /** The events to append and the reply to send for one command. */
  record Handled(List<RegistryEvent> events, byte[] reply) {}

  CommandHandler(
      ListStore lists,
      WindowStore<String, byte[]> replies,
      Duration dedupWindow,
      Duration publishInterval,
      Decider decider,
      Clock clock) {
    this.lists = lists;
    this.decider = decider;
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
        boolean publishes = lists.save(listKey, state, next, accepted.events());
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
    ListState state = lists.load(listKey, time).state();
    if (!state.exists()) {
      return new Reply.Entry(Optional.empty());
    }
    ListMeta meta = state.meta();
    if (r.idx() < 0 || r.idx() >= meta.size()) {
      return new Reply.Failed(
          "index " + r.idx() + " is outside the list's range [0, " + meta.size() + ")");
    }
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
    JsonNode request = request(earlier);
    if (request != null) {
      boolean same =
          command.listId().key().equals(request.path("list").asText())
              && CommandFingerprint.kind(command).equals(request.path("kind").asText())
              && CommandFingerprint.of(command).equals(request.path("fingerprint").asText());
      return same ? earlier : keyReused(command);
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
          case Reply.OwnerFault f -> false; // never stored: a retry is decided again
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

  /** {@code reply} with its request as the first member (see {@link #STORED_PREFIX}). */
  static byte[] stored(RegistryCommand command, byte[] reply) {
    if (reply.length < 2 || reply[0] != '{') {
      throw new IllegalStateException("a reply is a JSON object");
    }
    ObjectNode request = MAPPER.createObjectNode();
    request.put("list", command.listId().key());
    request.put("kind", CommandFingerprint.kind(command));
    request.put("fingerprint", CommandFingerprint.of(command));
    byte[] head;
    try {
      head = MAPPER.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a reply's request", e);
    }
    boolean empty = reply[1] == '}';
    ByteArrayOutputStream out = new ByteArrayOutputStream(reply.length + head.length + 16);
    out.writeBytes(STORED_PREFIX);
    out.writeBytes(head);
    if (!empty) {
      out.write(',');
    }
    out.write(reply, 1, reply.length - 1);
    return out.toByteArray();
  }

  /** The request a stored reply answers, or null for a record without one (previous release). */
  private static JsonNode request(byte[] stored) {
    if (!Arrays.equals(
        stored,
        0,
        Math.min(stored.length, STORED_PREFIX.length),
        STORED_PREFIX,
        0,
        STORED_PREFIX.length)) {
      return null;
    }
    // Only the first member is read, not the stored reply behind it (a whole outcome, maybe).
    try (JsonParser p = MAPPER.createParser(stored)) {
      if (p.nextToken() != JsonToken.START_OBJECT
          || p.nextToken() != JsonToken.FIELD_NAME
          || !REQUEST.equals(p.currentName())
          || p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return MAPPER.readTree(p);
    } catch (IOException e) {
      throw new RegistryException("a stored reply is not JSON", e);
    }
  }
}
