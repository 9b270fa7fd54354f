package io.statusreg.api.metrics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Every metric name of the registry process, defined once. Names follow {@code
 * statusreg_<component>_<thing>_<unit>} in Prometheus' form; Micrometer spells them with dots and
 * appends the unit of timers ({@code _seconds}) and counters ({@code _total}) itself, so a timer is
 * named without its unit here and a gauge with it. The alert rules and the Grafana dashboard in
 * {@code ops/monitoring/} use these names; {@code MetricNamesTest} checks a scrape against {@link
 * #RULE}.
 */
public final class MetricNames {
  private MetricNames() {}

  /** Timer: HTTP requests by route template, method and status. */
  public static final String HTTP_REQUESTS = "statusreg.http.requests";

  /**
   * Timer with a bounded histogram ({@link ApiMetrics#WRITE_ACK_BUCKETS}): issuer writes, from the
   * request to its answer, which comes once the events are durable; by route template and status.
   */
  public static final String API_WRITE_ACK = "statusreg.api.write.ack";

  /** Counter: connections closed because a request's headers or body came too slowly, by phase. */
  public static final String HTTP_CONNECTIONS_CUT = "statusreg.http.connections.cut";

  /** Timer: from the oldest change a publication shows to its issue time. */
  public static final String PUBLICATION_LAG = "statusreg.publication.lag";

  /** Counter: lists published (signed and handed to Kafka) by this instance's publishers. */
  public static final String PUBLISHER_LISTS = "statusreg.publisher.published.lists";

  /** Counter: bytes of those publications (JWT + CWT + W3C credential). */
  public static final String PUBLISHER_BYTES = "statusreg.publisher.published.bytes";

  /**
   * Timer: one publication, from reading the list to the token handed to Kafka. The lag from a
   * change to its publication is {@link #PUBLICATION_LAG} (the same quantity, recorded by every
   * instance from the token's own times, so it is not defined twice).
   */
  public static final String PUBLISHER_PUBLISH = "statusreg.publisher.publish";

  /** Counter: failed publication attempts, by {@code reason} (signing, encoding, store, other). */
  public static final String PUBLISHER_FAILURES = "statusreg.publisher.failures";

  /** Gauge, lists: lists whose publication failed and that wait out a back-off. */
  public static final String PUBLISHER_BACKOFF = "statusreg.publisher.backoff.lists";

  /** Gauge, bytes: the compressed page segments the publishers keep. */
  public static final String PUBLISHER_SEGMENT_CACHE = "statusreg.publisher.segment.cache.bytes";

  /** Counter: publications that compressed their whole list (first, evicted, or task moved). */
  public static final String PUBLISHER_SEGMENT_MISSES = "statusreg.publisher.segment.misses";

  /** Counter: entry status changes requested through the API, by outcome. */
  public static final String API_STATUS_CHANGES = "statusreg.api.status.changes";

  /** Counter: indexes handed out. */
  public static final String API_INDEXES_ALLOCATED = "statusreg.api.indexes.allocated";

  /**
   * Timer: how long a list's creation (or the allocation that opened it) waited for the list's
   * first token to be served here before it answered.
   */
  public static final String API_FIRST_PUBLICATION_WAIT = "statusreg.api.first.publication.wait";

  /** Gauge 0/1: whether this instance serves tokens. */
  public static final String API_READY = "statusreg.api.ready";

  /** Counter: publications received by this instance. */
  public static final String TOKENS_RECEIVED = "statusreg.tokens.received";

  /** Gauge, seconds: age of the oldest latest token served. */
  public static final String TOKENS_OLDEST_AGE = "statusreg.tokens.oldest.age";

  /** Gauge, seconds: time left until the earliest {@code exp} of the latest tokens served. */
  public static final String TOKENS_EARLIEST_EXPIRY = "statusreg.tokens.earliest.expiry";

  /** Gauge, lists: lists whose latest token is prepared in memory. */
  public static final String TOKENS_CACHED = "statusreg.tokens.cached.lists";

  /** Gauge 0/1 per state: the current Kafka Streams state. */
  public static final String STREAMS_STATE = "statusreg.streams.state";

  /** Counter: times Streams entered REBALANCING. */
  public static final String STREAMS_REBALANCES = "statusreg.streams.rebalances";

  /** Counter: stream threads that died with an exception. */
  public static final String STREAMS_THREAD_FAILURES = "statusreg.streams.thread.failures";

  /** Counter: dead peers whose static members this instance removed from the group. */
  public static final String STREAMS_PEER_REMOVALS = "statusreg.streams.peer.removals";

  /** Gauge, records: the largest consumer lag of this instance's stream threads. */
  public static final String STREAMS_CONSUMER_LAG = "statusreg.streams.consumer.lag.records";

  /**
   * The naming rule in Prometheus form. A unit is one of {@link #UNITS}; a 0/1 gauge names no unit
   * (its {@code thing} is a state: {@code ready}, {@code state}, {@code paused}).
   */
  public static final Pattern RULE =
      Pattern.compile(
          "statusreg_[a-z]+(_[a-z]+)*_(seconds|bytes|records|rows|lists|total|ready|state|paused)"
              + "(_count|_sum|_max|_bucket)?");

  /** The units of the rule ({@code total} for counters). */
  public static final List<String> UNITS =
      List.of("seconds", "bytes", "records", "rows", "lists", "total");
}
