package io.statusreg.streams;

import io.statusreg.common.KafkaSecurity;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.EventCodec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the Streams side of a node, each with one name, one default, one doc line and
 * one validator ({@link Setting}); {@link #from(Settings)} reads and validates them all at
 * start-up. The property names are the deployment contract (environment: {@code STATUSREG_} + upper
 * snake).
 */
public record StreamsSettings(
    String bootstrapServers,
    String applicationId,
    Optional<String> instanceId,
    Optional<String> applicationServer,
    Path stateDir,
    int numStandbyReplicas,
    Duration sessionTimeout,
    boolean leaveGroupOnStop,
    Duration peerProbeInterval,
    Duration peerDownAfter,
    Duration publishInterval,
    Duration refreshMargin,
    int compressionLevel,
    long publishSegmentCacheBytes,
    Duration publishBudget,
    int eventsPartitions,
    short replicationFactor,
    int minInsyncReplicas,
    Duration tokenHistoryRetention,
    long rocksdbBlockCacheBytes,
    long rocksdbWriteBufferBytes,
    String publicBaseUrl,
    Optional<Path> signingKeysFile,
    Duration commandTimeout,
    Duration commandDedupRetention,
    int recordMaxBytes,
    Duration commitInterval,
    EventCodec.Format eventsEncoding,
    KafkaSecurity kafkaSecurity) {

  /** Defined in {@link io.statusreg.common.KafkaSettings}, shared with every Kafka client. */
  public static final Setting<String> BOOTSTRAP_SERVERS =
      io.statusreg.common.KafkaSettings.BOOTSTRAP_SERVERS;

  public static final Setting<String> APPLICATION_ID =
      new Setting<>(
          "application.id",
          "statusreg",
          "Kafka Streams application id: consumer group and prefix of internal topics",
          s -> s,
          s -> s.matches("[A-Za-z0-9._-]{1,100}"),
          "1-100 characters of [A-Za-z0-9._-]",
          false);
  public static final Setting<String> INSTANCE_ID =
      new Setting<>(
          "instance.id",
          "",
          "static membership id (group.instance.id), e.g. the pod name; empty = dynamic membership",
          s -> s,
          s -> s.isEmpty() || s.matches("[A-Za-z0-9._-]{1,200}"),
          "empty or 1-200 characters of [A-Za-z0-9._-]",
          false);
  public static final Setting<String> APPLICATION_SERVER =
      new Setting<>(
          "application.server",
          "",
          "this instance's host:port as its peers reach it: Streams metadata, and the port of its"
              + " membership beacon (a listener the node opens on every interface; it must differ"
              + " from http.port); keep it identical across restarts",
          s -> s,
          s -> s.isEmpty() || s.matches("[^\\s:]+:\\d{1,5}"),
          "empty or host:port",
          false);
  public static final Setting<String> STATE_DIR =
      Setting.string("state.dir", "data/streams", "directory of the RocksDB state stores");
  public static final Setting<Integer> NUM_STANDBY_REPLICAS =
      Setting.integer("num.standby.replicas", 1, 0, 5, "warm standby copies of each task's stores");
  public static final Setting<Duration> SESSION_TIMEOUT =
      Setting.millis(
          "session.timeout.ms",
          15_000,
          6_000,
          1_800_000,
          "consumer session timeout: how long the lists of an instance that stopped heartbeating"
              + " wait before its standbys take over when no peer can tell that its process is"
              + " gone (a lost node, a hang); a killed process is removed by its peers within"
              + " peer.down.after.ms, and planned stops hand over at once");
  public static final Setting<Boolean> LEAVE_GROUP_ON_STOP =
      Setting.bool(
          "leave.group.on.stop",
          true,
          "a planned stop (SIGTERM) leaves the consumer group, so warm standbys take over this"
              + " instance's lists at once; false = keep the static membership (its lists wait"
              + " for it to return)");
  public static final Setting<Duration> PEER_PROBE_INTERVAL =
      Setting.millis(
          "peer.probe.interval.ms",
          250,
          0,
          60_000,
          "how often a static member probes the membership beacons of the peers that own tasks"
              + " (application.server), to hand a dead peer's tasks to their standbys before its"
              + " session expires; 0 = off (needs instance.id, application.server and"
              + " leave.group.on.stop)");
  public static final Setting<Duration> PEER_DOWN_AFTER =
      Setting.millis(
          "peer.down.after.ms",
          250,
          0,
          600_000,
          "a peer whose beacon answered before and has refused connections this long (its process"
              + " is gone) is removed from the consumer group; timeouts never count");
  public static final Setting<Duration> PUBLISH_INTERVAL =
      Setting.millis(
          "publish.interval.ms",
          1000,
          10,
          3_600_000,
          "a dirty list is re-signed at most once per this interval");
  public static final Setting<Duration> REFRESH_MARGIN =
      Setting.millis(
          "refresh.margin.ms",
          600_000,
          0,
          86_400_000,
          "every list is re-signed this long before its token's exp, even when unchanged");
  public static final Setting<Integer> COMPRESSION_LEVEL =
      Setting.integer("compression.level", 6, 0, 9, "DEFLATE level of published lists");
  public static final Setting<Long> PUBLISH_SEGMENT_CACHE_BYTES =
      Setting.longValue(
          "publish.segment.cache.bytes",
          256L << 20,
          0,
          1L << 40,
          "memory for the compressed page segments of the lists this instance publishes (a"
              + " change re-compresses only its pages; an evicted list is compressed whole"
              + " again; 0 = always whole)");
  public static final Setting<Duration> PUBLISH_BUDGET =
      Setting.millis(
          "publish.budget.ms",
          100,
          1,
          60_000,
          "per publish tick, a task starts no new publication after this long; the lists left"
              + " go first at the next tick (oldest change first)");
  public static final Setting<Integer> EVENTS_PARTITIONS =
      Setting.integer(
          "events.partitions",
          12,
          1,
          10_000,
          "partitions of statusreg.events and statusreg.commands (fixed for the cluster's life)");
  public static final Setting<Integer> REPLICATION_FACTOR =
      Setting.integer(
          "topic.replication.factor", 3, 1, 7, "replication factor of every statusreg topic");
  public static final Setting<Integer> MIN_INSYNC_REPLICAS =
      Setting.integer(
          "topic.min.insync.replicas", 2, 1, 7, "min.insync.replicas of every statusreg topic");
  public static final Setting<Duration> TOKEN_HISTORY_RETENTION =
      Setting.millis(
          "token.history.retention.ms",
          Duration.ofDays(7).toMillis(),
          0,
          Duration.ofDays(3650).toMillis(),
          "how long past publications stay answerable for ?time=");
  public static final Setting<Long> ROCKSDB_BLOCK_CACHE_BYTES =
      Setting.longValue(
          "rocksdb.block.cache.bytes",
          64L << 20,
          1L << 20,
          1L << 40,
          "one LRU block cache shared by every RocksDB store of the process");
  public static final Setting<Long> ROCKSDB_WRITE_BUFFER_BYTES =
      Setting.longValue(
          "rocksdb.write.buffer.bytes",
          32L << 20,
          1L << 20,
          1L << 40,
          "memtable budget of every RocksDB store of the process (counted in the block cache)");
  public static final Setting<String> PUBLIC_BASE_URL =
      new Setting<>(
          "public.base.url",
          "http://localhost:8080",
          "public base URL; a list's URI is <public.base.url>/statuslists/<issuer>/<name>",
          s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s,
          StreamsSettings::isHttpUrl,
          "an absolute http or https URL",
          false);
  public static final Setting<String> SIGNING_KEYS_FILE =
      Setting.string(
          "signing.keys.file", "", "issuer signing keys file; empty = a generated development key");
  public static final Setting<Duration> COMMAND_TIMEOUT =
      Setting.millis(
          "command.timeout.ms",
          10_000,
          100,
          600_000,
          "how long an issuer request waits for the reply of the list's owner before 503");

  public static final Setting<Duration> COMMAND_DEDUP_RETENTION =
      Setting.millis(
          "command.dedup.retention.ms",
          Duration.ofDays(1).toMillis(),
          Duration.ofMinutes(1).toMillis(),
          Duration.ofDays(365).toMillis(),
          "how long a command id and an event id are remembered, so that a retry within it is"
              + " answered without deciding or applying it again; keep it at least the commands"
              + " topic's retention");

  public static final Setting<Integer> RECORD_MAX_BYTES =
      Setting.integer(
          "record.max.bytes",
          TopicCatalogue.MAX_TOKEN_RECORD_BYTES,
          1 << 20,
          128 << 20,
          "largest record a node writes: its producers' max.request.size and max.message.bytes of"
              + " every statusreg topic and changelog (a published list's tokens must fit, so an"
              + " identifier list holds at most (record.max.bytes - 524288) / 18 identifiers)");

  public static final Setting<Duration> COMMIT_INTERVAL =
      Setting.millis(
          "commit.interval.ms",
          200,
          5,
          // below the stream producers' transaction.timeout.ms (10 s), which Kafka Streams
          // requires: a longer interval refused to start
          9_000,
          "Streams commit interval: a stream thread processes for this long between two"
              + " exactly_once_v2 commits and is stopped during each, so a short interval wastes the"
              + " thread on commits once a commit takes longer than it (3 brokers under load);"
              + " commands are answered once decided, not at the commit, but events, tokens and"
              + " analytics see a change only after it");

  public static final Setting<EventCodec.Format> EVENTS_ENCODING =
      new Setting<>(
          "events.encoding",
          "binary",
          "form of the events this node writes to statusreg.events: binary (about a third of the"
              + " bytes and of the encoding and decoding work; every release since 404e031 of"
              + " 2026-12-01 reads it) or json (every release reads it: set it on every node for a"
              + " rolling upgrade from an older release, and switch back once all run this one)",
          EventCodec.Format::parse,
          f -> true,
          "json or binary",
          false);

  /** Every setting, in documentation order. */
  public static List<Setting<?>> all() {
    List<Setting<?>> all = new java.util.ArrayList<>();
    all.add(BOOTSTRAP_SERVERS);
    all.addAll(KafkaSecurity.all());
    all.addAll(
        List.of(
            APPLICATION_ID,
            INSTANCE_ID,
            APPLICATION_SERVER,
            STATE_DIR,
            NUM_STANDBY_REPLICAS,
            SESSION_TIMEOUT,
            LEAVE_GROUP_ON_STOP,
            PEER_PROBE_INTERVAL,
            PEER_DOWN_AFTER,
            PUBLISH_INTERVAL,
            REFRESH_MARGIN,
            COMPRESSION_LEVEL,
            PUBLISH_SEGMENT_CACHE_BYTES,
            PUBLISH_BUDGET,
            EVENTS_PARTITIONS,
            REPLICATION_FACTOR,
            MIN_INSYNC_REPLICAS,
            TOKEN_HISTORY_RETENTION,
            ROCKSDB_BLOCK_CACHE_BYTES,
            ROCKSDB_WRITE_BUFFER_BYTES,
            PUBLIC_BASE_URL,
            SIGNING_KEYS_FILE,
            COMMAND_TIMEOUT,
            COMMAND_DEDUP_RETENTION,
            RECORD_MAX_BYTES,
            COMMIT_INTERVAL,
            EVENTS_ENCODING));
    return List.copyOf(all);
  }

  /** Reads and validates every setting; fails on the first bad value, naming it. */
  public static StreamsSettings from(Settings s) {
    Optional<String> instance = nonEmpty(s.get(INSTANCE_ID));
    Duration session = s.get(SESSION_TIMEOUT);
    int replication = s.get(REPLICATION_FACTOR);
    int minIsr = s.get(MIN_INSYNC_REPLICAS);
    if (minIsr > replication) {
      throw new Setting.ConfigException(
          MIN_INSYNC_REPLICAS.name()
              + " ("
              + minIsr
              + ") must not exceed "
              + REPLICATION_FACTOR.name()
              + " ("
              + replication
              + ")");
    }
    return new StreamsSettings(
        s.get(BOOTSTRAP_SERVERS),
        s.get(APPLICATION_ID),
        instance,
        nonEmpty(s.get(APPLICATION_SERVER)),
        Path.of(s.get(STATE_DIR)),
        s.get(NUM_STANDBY_REPLICAS),
        session,
        s.get(LEAVE_GROUP_ON_STOP),
        s.get(PEER_PROBE_INTERVAL),
        s.get(PEER_DOWN_AFTER),
        s.get(PUBLISH_INTERVAL),
        s.get(REFRESH_MARGIN),
        s.get(COMPRESSION_LEVEL),
        s.get(PUBLISH_SEGMENT_CACHE_BYTES),
        s.get(PUBLISH_BUDGET),
        s.get(EVENTS_PARTITIONS),
        (short) replication,
        minIsr,
        s.get(TOKEN_HISTORY_RETENTION),
        s.get(ROCKSDB_BLOCK_CACHE_BYTES),
        s.get(ROCKSDB_WRITE_BUFFER_BYTES),
        s.get(PUBLIC_BASE_URL),
        nonEmpty(s.get(SIGNING_KEYS_FILE)).map(Path::of),
        s.get(COMMAND_TIMEOUT),
        s.get(COMMAND_DEDUP_RETENTION),
        s.get(RECORD_MAX_BYTES),
        s.get(COMMIT_INTERVAL),
        s.get(EVENTS_ENCODING),
        KafkaSecurity.from(s));
  }

  /** The topics this node's settings describe (partitions, replication, min ISR, record limit). */
  public io.statusreg.common.TopicCatalogue topicCatalogue() {
    return io.statusreg.common.TopicCatalogue.of(
        eventsPartitions, replicationFactor, minInsyncReplicas, recordMaxBytes);
  }

  /** {@code application.server} parsed as Streams parses it: the beacon's host and port. */
  public Optional<org.apache.kafka.streams.state.HostInfo> applicationEndpoint() {
    return applicationServer.map(org.apache.kafka.streams.state.HostInfo::buildFromEndpoint);
  }

  /** The port of {@code application.server}, where this node's membership beacon listens. */
  public Optional<Integer> beaconPort() {
    return applicationEndpoint().map(org.apache.kafka.streams.state.HostInfo::port);
  }

  /**
   * Whether this node opens a membership beacon and watches its peers' (see {@code
   * streams.internal.PeerWatch}): a static member with an application.server.
   */
  public boolean beacon() {
    return staticMembership() && applicationServer.isPresent();
  }

  /** Whether this node removes dead peers' static members from the group. */
  public boolean peerWatch() {
    return beacon() && leaveGroupOnStop && !peerProbeInterval.isZero();
  }

  /** Whether the node runs with static membership ({@code instance.id} set). */
  public boolean staticMembership() {
    return instanceId.isPresent();
  }

  /** The public URI of a list: {@code <public.base.url>/statuslists/<issuer>/<name>}. */
  public String listUri(io.statusreg.registry.ListId list) {
    return listUri(publicBaseUrl, list);
  }

  public static String listUri(String baseUrl, io.statusreg.registry.ListId list) {
    return baseUrl + "/statuslists/" + list.issuer().value() + "/" + list.name();
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI uri = URI.create(s);
      return uri.isAbsolute()
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getQuery() == null
          && uri.getFragment() == null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
