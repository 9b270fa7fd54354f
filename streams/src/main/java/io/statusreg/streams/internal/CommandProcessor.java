package io.statusreg.streams.internal;

import io.statusreg.common.wire.DeadLetters;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.internal.StoreCodecs.Dirty;
import io.statusreg.streams.internal.StoreCodecs.Publication;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.serde.ListMetaCodec;
import io.statusreg.streams.serde.Reply;
import io.statusreg.streams.serde.ReplySerde;
import io.statusreg.streams.serde.Request;
import io.statusreg.streams.serde.RequestSerde;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of a partition's lists. For each record of {@code statusreg.commands}: decode (or send
 * the raw record to the dead-letter topic), answer a retried command id from {@code
 * command-replies}, otherwise decide it against the list's state, evolve the stores, append the
 * events and write the reply. With {@code exactly_once_v2} all of it commits in one transaction, so
 * a reply means the events are durable. A wall-clock punctuator publishes the dirty lists.
 *
 * <p>Only the pages a command touches are read from {@code list-pages}, and only the pages it
 * changes are written back: a single revocation writes one page.
 */
public final class CommandProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);
  private static final StringSerializer STRINGS = new StringSerializer();

  public static final String HEADER_REQUEST_ID = "request-id";
  public static final String HEADER_REPLY_TO = "reply-to";

  private final Names names;
  private final StreamsSettings settings;
  private final ListSigner signer;
  private final Clock clock;
  private final Decider decider = new Decider();

  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, byte[]> metas;
  private KeyValueStore<String, byte[]> pages;
  private KeyValueStore<String, byte[]> dirty;
  private KeyValueStore<String, byte[]> publications;
  private WindowStore<String, byte[]> replies;
  private WindowStore<String, byte[]> eventIds;
  private long nextRefreshScan;
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

  public CommandProcessor(Names names, StreamsSettings settings, ListSigner signer, Clock clock) {
    this.names = names;
    this.settings = settings;
    this.signer = signer;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    metas = context.getStateStore(names.metaStore());
    pages = context.getStateStore(names.pagesStore());
    dirty = context.getStateStore(names.dirtyStore());
    publications = context.getStateStore(names.publicationsStore());
    replies = context.getStateStore(names.repliesStore());
    eventIds = context.getStateStore(names.eventIdsStore());
    nextRefreshScan = Long.MIN_VALUE;
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
            requestId.ifPresent(id -> reply(id, ReplySerde.toBytes(read(r, listKey)), record));
      }
    } catch (RegistryException e) {
      log.warn("refusing request {} on list {}: {}", requestId.orElse("-"), listKey, e.toString());
      requestId.ifPresent(
          id -> reply(id, ReplySerde.toBytes(new Reply.Failed(e.getMessage())), record));
    }
  }

  private void decide(
      RegistryCommand command, String listKey, Optional<String> requestId, Record<?, ?> record) {
    long time = record.timestamp();
    String commandKey = command.commandId().toString();
    byte[] earlier = earlierReply(commandKey, time);
    if (earlier != null) {
      byte[] answer = earlier;
      if (command instanceof RegistryCommand.ChangeStatus changes
          && ReplySerde.fromBytes(earlier) instanceof Reply.ChangesAccepted compact
          && !compact.answers(changes)) {
        // The id was used for other changes: the stored reply would describe events this
        // command never had.
        answer =
            ReplySerde.toBytes(
                new Reply.Decided(
                    new Outcome(
                        Decision.rejected(
                            Rejection.Kind.CONFLICT,
                            "command id " + commandKey + " was already used for different changes"),
                        List.of(),
                        Optional.empty(),
                        clock.instant())));
      }
      byte[] reply = answer;
      requestId.ifPresent(id -> reply(id, reply, record));
      return;
    }
    byte[] metaBytes = metas.get(listKey);
    ListMeta meta = metaBytes == null ? null : ListMetaCodec.decode(metaBytes);
    StatusList entries = meta == null ? null : loadPages(listKey, meta, pagesRead(command, meta));
    StoreLedger ledger = new StoreLedger(eventIds, time, names.dedupWindow().toMillis());
    ListState state = ListState.of(meta, entries, ledger);
    Decision decision = decider.decide(command, state);
    StatusAudit.decided(command, state, decision);
    Instant now = clock.instant();
    Outcome outcome;
    switch (decision) {
      case Decision.Accepted accepted -> {
        // The command id was not in command-replies, so none of its events was applied before.
        Set<EventId> fresh = new HashSet<>();
        accepted.events().forEach(e -> fresh.add(e.id()));
        ledger.fresh(fresh);
        ListState next = state.evolveAll(accepted.events());
        boolean publishes = persist(listKey, state, next, accepted.events(), ledger, time);
        byte[] key = listKey.getBytes(StandardCharsets.UTF_8);
        for (RegistryEvent event : accepted.events()) {
          context.forward(
              new Record<>(key, EventCodec.encode(event), time, new RecordHeaders()),
              names.eventsSink());
        }
        outcome =
            new Outcome(
                decision,
                ReplySerde.allocated(decision, next.meta()),
                Optional.ofNullable(next.meta()),
                publishes ? now.plus(settings.publishInterval()) : now);
      }
      case Decision.Rejected rejected -> {
        outcome = new Outcome(decision, List.of(), Optional.ofNullable(meta), now);
      }
    }
    Reply answer = new Reply.Decided(outcome);
    if (command instanceof RegistryCommand.ChangeStatus changes) {
      answer = Reply.ChangesAccepted.of(changes, outcome).<Reply>map(c -> c).orElse(answer);
    }
    byte[] reply = ReplySerde.toBytes(answer);
    replies.put(commandKey, reply, time);
    requestId.ifPresent(id -> reply(id, reply, record));
  }

  private byte[] earlierReply(String commandKey, long time) {
    long window = names.dedupWindow().toMillis();
    try (WindowStoreIterator<byte[]> it =
        replies.fetch(commandKey, Math.max(0, time - window), time + window)) {
      byte[] found = null;
      while (it.hasNext()) {
        found = it.next().value;
      }
      return found;
    }
  }

  /** Writes what changed and marks the list dirty; returns whether a publication is due. */
  private boolean persist(
      String listKey,
      ListState before,
      ListState next,
      List<RegistryEvent> events,
      StoreLedger ledger,
      long time) {
    ledger.flush();
    if (next.meta() == null) {
      return false;
    }
    if (!next.meta().equals(before.meta())) {
      metas.put(listKey, ListMetaCodec.encode(next.meta()));
    }
    TreeSet<Integer> changedPages = new TreeSet<>();
    TreeSet<Long> changedIndexes = new TreeSet<>();
    boolean created = false;
    boolean metaChanged = false;
    long oldest = Long.MAX_VALUE;
    for (RegistryEvent event : events) {
      oldest = Math.min(oldest, event.at().toEpochMilli());
      switch (event) {
        case StatusChanged sc -> {
          changedPages.add(next.entries().pageOf(sc.idx()));
          changedIndexes.add(sc.idx());
        }
        case ListCreated lc -> created = true;
        // The published token carries the allocation cursor (the API picks a list with room by
        // it) and whether the list is full or retired: these changes publish too.
        case IndexesAllocated a -> metaChanged = true;
        case ListFull f -> metaChanged = true;
        case ListRetired r -> metaChanged = true;
        case IdentifierRevoked ir -> {
          changedPages.add(next.entries().pageOf(ir.slot()));
          changedIndexes.add(ir.slot());
        }
      }
    }
    for (int page : changedPages) {
      byte[] now = next.entries().hasPage(page) ? next.entries().page(page) : null;
      if (now == null) {
        pages.delete(pageKey(listKey, page));
      } else {
        pages.put(pageKey(listKey, page), now);
      }
    }
    if (!created && !metaChanged && changedPages.isEmpty()) {
      return false;
    }
    int[] pagesNow = changedPages.stream().mapToInt(Integer::intValue).toArray();
    long[] indexesNow = changedIndexes.stream().mapToLong(Long::longValue).toArray();
    byte[] existing = dirty.get(listKey);
    Dirty d =
        existing == null
            ? Dirty.of(oldest, created, pagesNow, indexesNow)
            : Dirty.decode(existing).merge(oldest, created, pagesNow, indexesNow);
    dirty.put(listKey, d.encode());
    return true;
  }

  private static List<Integer> pagesRead(RegistryCommand command, ListMeta meta) {
    if (command instanceof RegistryCommand.RevokeIdentifiers r && meta.isIdentifierList()) {
      return IdentifierPublication.pagesOf(r, meta);
    }
    if (!(command instanceof RegistryCommand.ChangeStatus c)) {
      return List.of();
    }
    long perPage = (long) StatusList.PAGE_BYTES * (8 / meta.bits());
    TreeSet<Integer> pages = new TreeSet<>();
    for (RegistryCommand.Change change : c.changes()) {
      if (change.idx() >= 0 && change.idx() < meta.size()) {
        pages.add((int) (change.idx() / perPage));
      }
    }
    return List.copyOf(pages);
  }

  /** A list with the given pages loaded (the others read as VALID and are never written). */
  private StatusList loadPages(String listKey, ListMeta meta, List<Integer> wanted) {
    StatusList list = StatusList.empty(meta.bits(), meta.size());
    for (int page : wanted) {
      byte[] bytes = pages.get(pageKey(listKey, page));
      if (bytes != null) {
        list = list.withPage(page, bytes);
      }
    }
    return list;
  }

  private StatusList loadAll(String listKey, ListMeta meta) {
    StatusList list = StatusList.empty(meta.bits(), meta.size());
    String prefix = listKey + "/";
    try (KeyValueIterator<String, byte[]> it = pages.prefixScan(prefix, STRINGS)) {
      while (it.hasNext()) {
        var kv = it.next();
        list = list.withPage(Integer.parseInt(kv.key.substring(prefix.length())), kv.value);
      }
    }
    return list;
  }

  public static String pageKey(String listKey, int page) {
    return listKey + "/" + page;
  }

  private Reply read(Request.ReadEntry r, String listKey) {
    byte[] metaBytes = metas.get(listKey);
    if (metaBytes == null) {
      return new Reply.Entry(Optional.empty());
    }
    ListMeta meta = ListMetaCodec.decode(metaBytes);
    if (r.idx() >= meta.size()) {
      return new Reply.Failed(
          "index " + r.idx() + " is outside the list's range [0, " + meta.size() + ")");
    }
    StatusList entries = StatusList.empty(meta.bits(), meta.size());
    int page = entries.pageOf(r.idx());
    entries = loadPages(listKey, meta, List.of(page));
    byte[] d = dirty.get(listKey);
    boolean published = d == null || !Dirty.decode(d).covers(r.idx(), page);
    byte[] p = publications.get(listKey);
    long version = p == null ? 0 : Publication.decode(p).version();
    return new Reply.Entry(
        Optional.of(
            new EntryView(
                meta.listId(),
                r.idx(),
                Status.fromCode(entries.get(r.idx())),
                meta.isAllocated(r.idx()),
                published && version > 0,
                version)));
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
    long interval = settings.publishInterval().toMillis();
    // Collected first (publishing deletes from the store being iterated), with the oldest change
    // read during the scan rather than by a second lookup per list.
    Map<String, Instant> due = new LinkedHashMap<>();
    try (KeyValueIterator<String, byte[]> it = dirty.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        byte[] p = publications.get(kv.key);
        if (p == null || Publication.decode(p).publishedAt() + interval <= now) {
          due.put(kv.key, Instant.ofEpochMilli(Dirty.decode(kv.value).oldestChangeAt()));
        }
      }
    }
    due.forEach(this::publish);
    if (now >= nextRefreshScan) {
      long next = Long.MAX_VALUE;
      List<String> refresh = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> it = publications.all()) {
        while (it.hasNext()) {
          var kv = it.next();
          Publication p = Publication.decode(kv.value);
          if (p.refreshAt() <= now) {
            refresh.add(kv.key);
          } else {
            next = Math.min(next, p.refreshAt());
          }
        }
      }
      nextRefreshScan = next;
      for (String listKey : refresh) {
        publish(listKey, null);
      }
    }
  }

  private void publish(String listKey, Instant oldestChange) {
    byte[] metaBytes = metas.get(listKey);
    if (metaBytes == null) {
      dirty.delete(listKey);
      return;
    }
    ListMeta meta = ListMetaCodec.decode(metaBytes);
    ListId list = meta.listId();
    try {
      StatusList entries = loadAll(listKey, meta);
      Instant iat = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      Instant exp = iat.plus(meta.validity());
      String uri = StreamsSettings.listUri(settings.publicBaseUrl(), list);
      ListSigner.SignedList signed =
          meta.isIdentifierList()
              ? signer.signIdentifiers(list, uri, entries, meta.identifiers(), meta.ttl(), iat, exp)
              : signer.sign(list, uri, entries, meta.purpose(), meta.ttl(), iat, exp);
      byte[] previous = publications.get(listKey);
      long version = previous == null ? 1 : Publication.decode(previous).version() + 1;
      PublishedToken token =
          new PublishedToken(
              list,
              uri,
              version,
              meta.isIdentifierList() ? PublishedToken.IDENTIFIER_LIST_BITS : meta.bits(),
              meta.size(),
              meta.cursor(),
              entries.histogram(),
              iat,
              exp,
              meta.ttl(),
              signed.kid(),
              etag(version, signed.jwt().length > 0 ? signed.jwt() : signed.cwt()),
              signed.jwt(),
              signed.cwt(),
              signed.w3c(),
              oldestChange,
              meta.version());
      long now = clock.millis();
      context.forward(
          new Record<>(
              listKey.getBytes(StandardCharsets.UTF_8),
              TokenSerde.toBytes(token),
              now,
              new RecordHeaders()),
          names.tokensSink());
      long refreshAt =
          Math.max(
              exp.toEpochMilli() - settings.refreshMargin().toMillis(),
              iat.toEpochMilli() + meta.validity().toMillis() / 2);
      publications.put(
          listKey,
          new Publication(version, iat.toEpochMilli(), exp.toEpochMilli(), refreshAt, now)
              .encode());
      nextRefreshScan = Math.min(nextRefreshScan, refreshAt);
      dirty.delete(listKey);
      log.debug("published {} version {} (exp {})", listKey, version, exp);
    } catch (RuntimeException e) {
      // Left dirty (or due for refresh): the next tick tries again.
      log.error("publishing list {} failed; retrying at the next tick", listKey, e);
    }
  }

  private static String etag(long version, byte[] jwt) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(jwt);
      return "\"v" + version + "-" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
