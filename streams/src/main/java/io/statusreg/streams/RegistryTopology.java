package io.statusreg.streams;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.streams.internal.CommandProcessor;
import io.statusreg.streams.internal.LocalTokenDirectory;
import io.statusreg.streams.internal.ReplyPartitions;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.publication.PublisherMetrics;
import io.statusreg.streams.publication.SegmentCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The registry's Kafka Streams topology, built by a pure function of the settings, the signer and
 * the clock. Every node and store is named here; changelog topics are {@code
 * <application.id>-<store>-changelog}; there is no repartition topic (commands arrive keyed by
 * list).
 *
 * <pre>
 * statusreg.commands ──► command-processor ──► statusreg.events   (the facts, key = list)
 *   (bytes; unreadable        │   stores: list-meta, list-pages, command-replies,
 *    records ─► dlq)          │           event-ids, dirty-lists, list-publications
 *                             ├──► statusreg.replies  (key = request id; partition named in it)
 *                             └──► statusreg.tokens   (publisher punctuator, key = list)
 * statusreg.tokens ──► token-directory (global store: latest + history) ─► TokenDirectory
 * </pre>
 */
public final class RegistryTopology {
  public static final String COMMANDS_SOURCE = "commands-source";
  public static final String COMMAND_PROCESSOR = "command-processor";
  public static final String EVENTS_SINK = "events-sink";
  public static final String REPLIES_SINK = "replies-sink";
  public static final String TOKENS_SINK = "tokens-sink";
  public static final String DLQ_SINK = "dlq-sink";
  public static final String TOKENS_SOURCE = "tokens-source";
  public static final String DIRECTORY_PROCESSOR = "token-directory-processor";

  /** list key → {@link io.statusreg.registry.fold.ListMeta}. */
  public static final String META_STORE = "list-meta";

  /** {@code <list key>/<page number>} → packed page bytes. */
  public static final String PAGES_STORE = "list-pages";

  /** command id → reply, for answering a retried command without deciding it again. */
  public static final String REPLIES_STORE = "command-replies";

  /** event id → seen: the fold's event ledger. */
  public static final String EVENT_IDS_STORE = "event-ids";

  /** list key → oldest unpublished change and changed pages: the dirty-list set. */
  public static final String DIRTY_STORE = "dirty-lists";

  /** list key → version, iat, exp and refresh time of the latest publication. */
  public static final String PUBLICATIONS_STORE = "list-publications";

  /** Global store of {@code statusreg.tokens}: latest per list plus history. */
  public static final String DIRECTORY_STORE = "token-directory";

  private final Topology topology;
  private final LocalTokenDirectory directory;

  private RegistryTopology(Topology topology, LocalTokenDirectory directory) {
    this.topology = topology;
    this.directory = directory;
  }

  public Topology topology() {
    return topology;
  }

  /** The directory fed by this topology's global store. */
  public TokenDirectory directory() {
    return directory;
  }

  LocalTokenDirectory localDirectory() {
    return directory;
  }

  /** Builds the topology into a new {@link Topology}. */
  public static RegistryTopology build(StreamsSettings settings, ListSigner signer, Clock clock) {
    return build(new Topology(), settings, signer, clock);
  }

  /** Adds the registry's nodes and stores to {@code topology}. */
  public static RegistryTopology build(
      Topology topology, StreamsSettings settings, ListSigner signer, Clock clock) {
    return build(
        topology,
        settings,
        signer,
        clock,
        new LocalTokenDirectory(DIRECTORY_STORE, settings.tokenHistoryRetention()),
        new SegmentCache(settings.publishSegmentCacheBytes()),
        new PublisherMetrics());
  }

  /**
   * Builds the topology around an existing directory (an in-process restart of Streams keeps the
   * in-memory directory, so that reads go on while the new instance restores), with the node's
   * segment cache and publisher metrics (kept across such restarts too).
   */
  static RegistryTopology build(
      Topology topology,
      StreamsSettings settings,
      ListSigner signer,
      Clock clock,
      LocalTokenDirectory directory,
      SegmentCache segments,
      PublisherMetrics metrics) {
    ByteArrayDeserializer bytesIn = new ByteArrayDeserializer();
    ByteArraySerializer bytesOut = new ByteArraySerializer();
    CommandProcessor.Names names =
        new CommandProcessor.Names(
            EVENTS_SINK,
            REPLIES_SINK,
            TOKENS_SINK,
            DLQ_SINK,
            META_STORE,
            PAGES_STORE,
            DIRTY_STORE,
            PUBLICATIONS_STORE,
            REPLIES_STORE,
            EVENT_IDS_STORE,
            settings.commandDedupRetention());
    // Explicit record limit on every changelog, equal to the producer's max.request.size: a store
    // value the producer accepts is never refused by the broker (whose default is 1 MB).
    Map<String, String> changelog =
        Map.of(
            "min.insync.replicas", "" + settings.minInsyncReplicas(),
            "max.message.bytes", "" + settings.recordMaxBytes());

    topology.addSource(COMMANDS_SOURCE, bytesIn, bytesIn, TopicCatalogue.COMMANDS);
    topology.addProcessor(
        COMMAND_PROCESSOR,
        () -> new CommandProcessor(names, settings, signer, clock, segments, metrics),
        COMMANDS_SOURCE);
    // Meta and pages are cached: revocations on one page within a commit coalesce into one write.
    topology.addStateStore(keyValue(META_STORE, changelog).withCachingEnabled(), COMMAND_PROCESSOR);
    topology.addStateStore(
        keyValue(PAGES_STORE, changelog).withCachingEnabled(), COMMAND_PROCESSOR);
    // The dirty-list record is rewritten by every accepted command (up to 32 KiB with its changed
    // indexes); cached, a commit writes it once to RocksDB and the changelog, not once per command.
    topology.addStateStore(
        keyValue(DIRTY_STORE, changelog).withCachingEnabled(), COMMAND_PROCESSOR);
    topology.addStateStore(keyValue(PUBLICATIONS_STORE, changelog), COMMAND_PROCESSOR);
    Duration dedup = settings.commandDedupRetention();
    topology.addStateStore(window(REPLIES_STORE, dedup, changelog), COMMAND_PROCESSOR);
    topology.addStateStore(window(EVENT_IDS_STORE, dedup, changelog), COMMAND_PROCESSOR);
    topology.addSink(EVENTS_SINK, TopicCatalogue.EVENTS, bytesOut, bytesOut, COMMAND_PROCESSOR);
    // A reply goes to the replies partition its request id names (its command's partition), so one
    // transaction touches one replies partition per task (ReplyPartitions).
    topology.addSink(
        REPLIES_SINK,
        TopicCatalogue.REPLIES,
        bytesOut,
        bytesOut,
        new ReplyPartitions.Partitioner(),
        COMMAND_PROCESSOR);
    topology.addSink(TOKENS_SINK, TopicCatalogue.TOKENS, bytesOut, bytesOut, COMMAND_PROCESSOR);
    topology.addSink(DLQ_SINK, TopicCatalogue.DLQ, bytesOut, bytesOut, COMMAND_PROCESSOR);

    StoreBuilder<KeyValueStore<String, byte[]>> directoryStore =
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DIRECTORY_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .withCachingDisabled();
    topology.addGlobalStore(
        directoryStore,
        TOKENS_SOURCE,
        bytesIn,
        bytesIn,
        TopicCatalogue.TOKENS,
        DIRECTORY_PROCESSOR,
        directory.processor());
    return new RegistryTopology(topology, directory);
  }

  private static StoreBuilder<KeyValueStore<String, byte[]>> keyValue(
      String name, Map<String, String> changelog) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
        .withLoggingEnabled(changelog);
  }

  /**
   * A dedup ledger: entries are written at the record's timestamp and looked up within {@code
   * retention} of it, so the store keeps them for {@code retention} (the changelog's own retention
   * follows, plus Streams' one-day additional retention).
   */
  private static StoreBuilder<WindowStore<String, byte[]>> window(
      String name, Duration retention, Map<String, String> changelog) {
    return Stores.windowStoreBuilder(
            Stores.persistentWindowStore(name, retention, Duration.ofMillis(1), false),
            Serdes.String(),
            Serdes.ByteArray())
        .withLoggingEnabled(changelog);
  }
}
