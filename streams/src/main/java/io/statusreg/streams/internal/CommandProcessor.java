package io.statusreg.streams.internal;

import io.statusreg.common.wire.DeadLetters;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.internal.StoreCodecs.Publication;
import io.statusreg.streams.publication.ListPublisher;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.publication.PublicationQueue;
import io.statusreg.streams.publication.PublishAttempts;
import io.statusreg.streams.publication.PublisherMetrics;
import io.statusreg.streams.publication.SegmentCache;
import io.statusreg.streams.serde.Reply;
import io.statusreg.streams.serde.ReplySerde;
import io.statusreg.streams.serde.Request;
import io.statusreg.streams.serde.RequestSerde;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka adapter of a partition's lists. For each record of {@code statusreg.commands}: decode
 * it (or send the raw record to the dead-letter topic), hand it to the {@link CommandHandler}, and
 * forward the events and the reply it returns. With {@code exactly_once_v2} all of it, and the
 * store writes of {@link ListStore}, commit in one transaction, so a reply means the events are
 * durable. A wall-clock punctuator asks the store what is due and the {@link ListPublisher} for
 * each publication, and forwards the tokens.
 */
public final class CommandProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

  public static final String HEADER_REQUEST_ID = "request-id";
  public static final String HEADER_REPLY_TO = "reply-to";

  private final Names names;
  private final StreamsSettings settings;
  private final ListSigner signer;
  private final Clock clock;
  private final SegmentCache segments;
  private final PublisherMetrics metrics;

  private ProcessorContext<byte[], byte[]> context;
  private ListStore lists;
  private CommandHandler handler;
  private ListPublisher publisher;
  private PublishAttempts attempts;
  private WindowStore<String, byte[]> replies;
  private WindowStore<String, byte[]> eventIds;
  private boolean segmentsAnchored;

  /**
   * Key of the anchor record written once per task start into each window store (never a command or
   * event id: those are UUIDs).
   */
  static final String SEGMENT_ANCHOR = "\u0000anchor";

  private static final byte[] ANCHOR_VALUE = {0};

  /** Node and store names the processor forwards to and reads. */
  public record Names(
      String eventsSink,
      String repliesSink,
      String tokensSink,
      String dlqSink,
      String metaStore,
      String pagesStore,
      String dirtyStore,
      String publicationsStore,
      String repliesStore,
      String eventIdsStore,
      Duration dedupWindow) {}

  public CommandProcessor(
      Names names,
      StreamsSettings settings,
      ListSigner signer,
      Clock clock,
      SegmentCache segments,
      PublisherMetrics metrics) {
    this.names = names;
    this.settings = settings;
    this.signer = signer;
    this.clock = clock;
    this.segments = segments;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    replies = context.getStateStore(names.repliesStore());
    eventIds = context.getStateStore(names.eventIdsStore());
    lists =
        new ListStore(
            context.getStateStore(names.metaStore()),
            context.getStateStore(names.pagesStore()),
            context.getStateStore(names.dirtyStore()),
            context.getStateStore(names.publicationsStore()),
            eventIds,
            names.dedupWindow().toMillis());
    handler =
        new CommandHandler(
            lists,
            replies,
            names.dedupWindow(),
            settings.publishInterval(),
            // Identifier lists are bounded so that their token fits one record of this size.
            new Decider(Decider.Limits.forRecordBytes(settings.recordMaxBytes())),
            clock);
    close(); // re-initialised (a task wiped and restored): its segments are stale
    attempts = new PublishAttempts(clock, metrics);
    // A new publisher per initialisation: it trusts only the segments it built itself.
    publisher =
        new ListPublisher(
            signer,
            clock,
            settings.publicBaseUrl(),
            settings.refreshMargin(),
            segments,
            settings.compressionLevel());
    segmentsAnchored = false;
    Duration tick = settings.publishInterval().dividedBy(4);
    if (tick.toMillis() < 5) {
      tick = Duration.ofMillis(5);
    }
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ignored -> publishDue());
  }

  // ---------------------------------------------------------------- commands

  @Override
  public void process(Record<byte[], byte[]> record) {
    anchorSegments();
    Optional<String> requestId = header(record, HEADER_REQUEST_ID);
    Request request;
    String listKey;
    try {
      request = RequestSerde.fromBytes(record.value());
      listKey = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
      if (!request.listId().key().equals(listKey)) {
        throw new RegistryException.InvalidInput(
            "record key " + listKey + " is not the command's list " + request.listId());
      }
    } catch (RuntimeException e) {
      deadLetter(record, e);
      requestId.ifPresent(
          id -> reply(id, ReplySerde.toBytes(new Reply.Failed("malformed command")), record));
      return;
    }
    try {
      switch (request) {
        case Request.Decide d -> decide(d.command(), listKey, requestId, record);
        case Request.ReadEntry r ->
            requestId.ifPresent(
                id ->
                    reply(
                        id,
                        ReplySerde.toBytes(handler.read(r, listKey, record.timestamp())),
                        record));
      }
    } catch (RegistryException.InvalidInput e) {
      log.warn("refusing request {} on list {}: {}", requestId.orElse("-"), listKey, e.toString());
      requestId.ifPresent(
          id -> reply(id, ReplySerde.toBytes(new Reply.Failed(e.getMessage())), record));
    } catch (RegistryException e) {
      // Not the request's fault (a store record the owner cannot read, a bug): the caller is told
      // only that; the cause stays in this log. Nothing is stored, so a retry is decided again.
      log.error("could not process request {} on list {}", requestId.orElse("-"), listKey, e);
      requestId.ifPresent(id -> reply(id, ReplySerde.toBytes(new Reply.OwnerFault()), record));
    }
  }

  private void decide(
      RegistryCommand command, String listKey, Optional<String> requestId, Record<?, ?> record) {
    long time = record.timestamp();
    CommandHandler.Handled handled = handler.decide(command, listKey, time);
    byte[] key = listKey.getBytes(StandardCharsets.UTF_8);
    for (RegistryEvent event : handled.events()) {
      context.forward(
          new Record<>(
              key, EventCodec.encode(event, settings.eventsEncoding()), time, new RecordHeaders()),
          names.eventsSink());
    }
    requestId.ifPresent(id -> reply(id, handled.reply(), record));
  }

  private void reply(String requestId, byte[] reply, Record<?, ?> cause) {
    RecordHeaders headers = new RecordHeaders();
    Header replyTo = cause.headers().lastHeader(HEADER_REPLY_TO);
    if (replyTo != null) {
      headers.add(HEADER_REPLY_TO, replyTo.value());
    }
    context.forward(
        new Record<>(requestId.getBytes(StandardCharsets.UTF_8), reply, cause.timestamp(), headers),
        names.repliesSink());
  }

  private void deadLetter(Record<byte[], byte[]> record, Exception error) {
    Optional<RecordMetadata> source = context.recordMetadata();
    String topic = source.map(RecordMetadata::topic).orElse("");
    int partition = source.map(RecordMetadata::partition).orElse(-1);
    long offset = source.map(RecordMetadata::offset).orElse(-1L);
    log.warn(
        "sending unreadable record {}-{}@{} to the dead-letter topic: {}",
        topic.isEmpty() ? "?" : topic,
        partition,
        offset,
        DeadLetters.describe(error));
    context.forward(
        new Record<>(
            record.key(),
            record.value(),
            record.timestamp(),
            DeadLetters.headers(record.headers(), topic, partition, offset, error)),
        names.dlqSink());
  }

  private static Optional<String> header(Record<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  /**
   * Makes sure each window store holds a live segment. Kafka Streams 4.3 keeps a store's committed
   * changelog offset inside the store (KIP-1035); a segmented window store keeps it in its
   * segments, so a window store with no segment (a task that never got a command, or whose ledger
   * entries all expired before a restore) reports no committed offset. Under exactly_once_v2 a task
   * whose directory is not empty and one of whose stores has no offset is declared corrupted on
   * start and every one of its stores is wiped and restored from the changelogs, which made every
   * restart of a node slow. One tiny record per task start, at the current time, avoids it.
   */
  private void anchorSegments() {
    if (segmentsAnchored) {
      return;
    }
    long now = clock.millis();
    replies.put(SEGMENT_ANCHOR, ANCHOR_VALUE, now);
    eventIds.put(SEGMENT_ANCHOR, ANCHOR_VALUE, now);
    segmentsAnchored = true;
  }

  // ---------------------------------------------------------------- publication

  /**
   * Publishes every dirty list whose last publication is at least one interval old, and every list
   * whose token reaches its refresh time ({@code exp - refresh margin}, at latest half-way through
   * its validity).
   */
  private void publishDue() {
    anchorSegments();
    long now = clock.millis();
    ListStore.Due due = lists.due(now, settings.publishInterval().toMillis());
    // Oldest first, changes and refreshes alike, and no new publication starts once the tick's
    // budget is spent: the lists left stay due and come first at the next tick, so a few big lists
    // cannot hold up a task's other lists (or its commands, which wait for the punctuation) for
    // long, and a stream of changes cannot starve a token's refresh (PublicationQueue).
    PublicationQueue<ListStore.Change> queue = new PublicationQueue<>();
    due.changed().forEach((key, change) -> queue.add(key, change.oldest().toEpochMilli(), change));
    due.refresh().forEach((key, refreshAt) -> queue.add(key, refreshAt, null));
    List<PublicationQueue.Item<ListStore.Change>> left =
        queue.drain(
            settings.publishBudget(),
            System::nanoTime,
            item -> {
              ListStore.Change change = item.work();
              if (change == null) {
                publish(item.listKey(), null, NO_PAGES);
              } else {
                publish(item.listKey(), change.oldest(), change.pages());
              }
            });
    if (left.stream().anyMatch(item -> item.work() == null)) {
      lists.refreshAgainAt(now); // the refreshes put off: scanned again next tick
    }
  }

  private static final int[] NO_PAGES = {};

  /**
   * @param changedPages the pages changed since the last publication (null: every page)
   */
  private void publish(String listKey, Instant oldestChange, int[] changedPages) {
    if (!attempts.due(listKey)) {
      if (oldestChange == null) {
        lists.refreshAgainAt(attempts.nextAttemptAt(listKey));
      }
      return; // in back-off; a dirty list stays dirty
    }
    Optional<ListMeta> found = lists.meta(listKey);
    if (found.isEmpty()) {
      lists.forget(listKey);
      publisher.forget(listKey);
      attempts.forget(listKey);
      return;
    }
    ListMeta meta = found.get();
    boolean ok =
        attempts.run(
            listKey,
            () -> {
              long previous = lists.publication(listKey).map(Publication::version).orElse(0L);
              ListPublisher.Published published =
                  publisher.publish(
                      listKey,
                      meta,
                      lists.pageSource(listKey),
                      changedPages,
                      previous,
                      oldestChange);
              long now = clock.millis();
              context.forward(
                  new Record<>(
                      listKey.getBytes(StandardCharsets.UTF_8),
                      TokenSerde.toBytes(published.token()),
                      now,
                      new RecordHeaders()),
                  names.tokensSink());
              lists.published(
                  listKey,
                  new Publication(
                      published.token().version(),
                      published.token().issuedAt().toEpochMilli(),
                      published.token().expiresAt().toEpochMilli(),
                      published.refreshAt().toEpochMilli(),
                      now));
              log.debug(
                  "published {} version {} (exp {})",
                  listKey,
                  published.token().version(),
                  published.token().expiresAt());
              return tokenBytes(published);
            });
    if (!ok && oldestChange == null) {
      // A refresh that failed: the store's refresh scan must come back for it.
      lists.refreshAgainAt(attempts.nextAttemptAt(listKey));
    }
  }

  private static long tokenBytes(ListPublisher.Published published) {
    var t = published.token();
    return (long) t.jwt().length + t.cwt().length + t.w3c().length;
  }

  @Override
  public void close() {
    // The task is closed (revoked, migrated, or about to be wiped): its lists' segments go, and
    // its lists leave the back-off gauge (their next owner starts afresh).
    if (publisher != null) {
      publisher.close();
    }
    if (attempts != null) {
      attempts.close();
    }
  }
}
