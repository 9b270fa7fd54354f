package io.statusreg.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statusreg.api.http.Route;
import io.statusreg.api.verifier.TokenCache;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.streams.publication.PublisherMetrics;
import io.statusreg.streams.publication.SegmentCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The API's metrics, named {@code statusreg_<component>_<thing>_<unit>} with low-cardinality labels
 * (route template, method, status, outcome), exposed in the Prometheus text format.
 */
public final class ApiMetrics {
  /**
   * Upper bounds of the write acknowledgement histogram's buckets, 10 ms to 30 s (plus Prometheus'
   * {@code +Inf}): a fixed, small set per route and status, so that {@code histogram_quantile} has
   * buckets around the 1 s alert threshold without the series of a full percentile histogram.
   */
  public static final List<Duration> WRITE_ACK_BUCKETS =
      List.of(
          Duration.ofMillis(10),
          Duration.ofMillis(25),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(250),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofMillis(2500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30));

  /** The methods of issuer writes (every issuer route but the entry read). */
  private static final Set<String> WRITE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final Timer publicationLag;
  private final Counter tokensReceived;
  private JvmGcMetrics gc;
  // Micrometer holds gauge and function-counter state weakly: keep the suppliers reachable.
  private final java.util.List<Object> strong = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ApiMetrics(Clock clock) {
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.publicationLag =
        Timer.builder(MetricNames.PUBLICATION_LAG)
            .description("time from the oldest change a publication shows to its issue time")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    // Registered up front: the publication alerts need the series before the first publication.
    this.tokensReceived =
        Counter.builder(MetricNames.TOKENS_RECEIVED)
            .description("publications received by this instance")
            .register(registry);
  }

  /** Binds JVM and process metrics (call once). */
  public ApiMetrics withJvm() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return this;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * One HTTP request: {@code statusreg_http_requests_seconds}. Every label comes from a closed set,
   * whatever the caller sent: the route is a declared template or {@code unmatched}, the method a
   * standard one or {@code other}, the status a three-digit code.
   */
  public void request(String route, String method, int status, float millis) {
    long nanos = (long) (millis * 1_000_000L);
    requestTimer(route, method, status).record(nanos, TimeUnit.NANOSECONDS);
    String template = Route.label(route);
    if (template.startsWith(Route.ISSUER_PREFIX)
        && WRITE_METHODS.contains(Route.methodLabel(method))) {
      Timer.builder(MetricNames.API_WRITE_ACK)
          .description("issuer writes, from the request to the answer once the events are durable")
          .serviceLevelObjectives(WRITE_ACK_BUCKETS.toArray(Duration[]::new))
          .tag("route", template)
          .tag("status", statusLabel(status))
          .register(registry)
          .record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The timer of one (route, method, status), labels folded into their closed sets. */
  public Timer requestTimer(String route, String method, int status) {
    return Timer.builder(MetricNames.HTTP_REQUESTS)
        .description("HTTP requests by route template, method and status")
        .tag("route", Route.label(route))
        .tag("method", Route.methodLabel(method))
        .tag("status", statusLabel(status))
        .register(registry);
  }

  private static String statusLabel(int status) {
    return status >= 100 && status <= 599 ? Integer.toString(status) : "other";
  }

  /** Status changes requested, by outcome: {@code statusreg_api_status_changes_total}. */
  public void statusChanges(String outcome, int count) {
    Counter.builder(MetricNames.API_STATUS_CHANGES)
        .description("entry status changes requested through the API, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment(count);
  }

  /** Indexes handed out: {@code statusreg_api_indexes_allocated_total}. */
  public void allocated(int count) {
    Counter.builder(MetricNames.API_INDEXES_ALLOCATED)
        .description("indexes handed out to issuers")
        .register(registry)
        .increment(count);
  }

  /**
   * A new list's wait for its first token: {@code statusreg_api_first_publication_wait_seconds}.
   */
  public void firstPublicationWait(Duration waited) {
    Timer.builder(MetricNames.API_FIRST_PUBLICATION_WAIT)
        .description(
            "how long a list's creation waited for its first token to be served before answering")
        .register(registry)
        .record(waited);
  }

  /** A publication arrived: records its lag from the oldest change it shows. */
  public void published(PublishedToken token) {
    tokensReceived.increment();
    if (token.oldestChangeAt() != null) {
      Duration lag = Duration.between(token.oldestChangeAt(), token.issuedAt());
      if (!lag.isNegative()) {
        publicationLag.record(lag);
      }
    }
  }

  /** Age of the oldest served token and the number of lists in the serving cache. */
  public void bindTokenCache(TokenCache cache) {
    strong.add(cache);
    Gauge.builder(
            MetricNames.TOKENS_OLDEST_AGE,
            cache,
            c ->
                c.oldestIssuedAt()
                    .map(iat -> Duration.between(iat, clock.instant()).toMillis() / 1000.0)
                    .orElse(0.0))
        .description("age of the oldest latest token this instance serves")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(
            MetricNames.TOKENS_EARLIEST_EXPIRY,
            cache,
            c ->
                c.earliestExpiresAt()
                    .map(exp -> Duration.between(clock.instant(), exp).toMillis() / 1000.0)
                    .orElse(Double.NaN))
        .description("time left until the earliest exp of the latest tokens this instance serves")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(MetricNames.TOKENS_CACHED, cache, TokenCache::size)
        .description("lists whose latest token is prepared in memory")
        .register(registry);
  }

  /** Whether the token directory has caught up (1) or not (0). */
  public void bindReadiness(BooleanSupplier ready) {
    strong.add(ready);
    Gauge.builder(MetricNames.API_READY, ready, s -> s.getAsBoolean() ? 1 : 0)
        .description("1 while this instance can serve tokens (its token directory has caught up)")
        .register(registry);
  }

  /**
   * Kafka Streams state ({@code statusreg_streams_state{state}} is 1 for the current state) and
   * rebalances ({@code statusreg_streams_rebalances_total}).
   */
  public void bindStreams(Supplier<String> state, Supplier<Long> rebalances, String[] states) {
    strong.add(state);
    strong.add(rebalances);
    for (String s : states) {
      Gauge.builder(MetricNames.STREAMS_STATE, state, current -> s.equals(current.get()) ? 1 : 0)
          .description("1 for the current Kafka Streams state of this instance")
          .tag("state", s)
          .register(registry);
    }
    FunctionCounter.builder(MetricNames.STREAMS_REBALANCES, rebalances, r -> r.get())
        .description("times this instance's Kafka Streams entered REBALANCING")
        .register(registry);
  }

  /**
   * Stream thread failures ({@code statusreg_streams_thread_failures_total}) and the largest
   * consumer lag of the stream threads ({@code statusreg_streams_consumer_lag_records}).
   */
  public void bindStreamsHealth(Supplier<Long> threadFailures, Supplier<Double> consumerLag) {
    strong.add(threadFailures);
    strong.add(consumerLag);
    FunctionCounter.builder(MetricNames.STREAMS_THREAD_FAILURES, threadFailures, f -> f.get())
        .description("stream threads of this instance that died with an exception")
        .register(registry);
    Gauge.builder(MetricNames.STREAMS_CONSUMER_LAG, consumerLag, Supplier::get)
        .description("largest records-lag-max of this instance's stream thread consumers")
        .register(registry);
  }

  /**
   * {@code statusreg_streams_peer_removals_total}: peers found dead (their membership beacon
   * refusing connections) whose static members this instance removed from the consumer group.
   */
  public void bindPeerRemovals(Supplier<Long> removals) {
    strong.add(removals);
    FunctionCounter.builder(MetricNames.STREAMS_PEER_REMOVALS, removals, f -> f.get())
        .description("dead peers whose static members this instance removed from the group")
        .register(registry);
  }

  /**
   * The publishers' metrics: {@code statusreg_publisher_published_lists_total}, {@code
   * _published_bytes_total}, {@code _publish_seconds} (a timer), {@code _failures_total{reason}}
   * (every reason registered up front, so alerts see 0 before the first failure), {@code
   * _backoff_lists}, {@code _segment_cache_bytes} and {@code _segment_misses_total}.
   */
  public void bindPublisher(PublisherMetrics publisher, SegmentCache segments) {
    strong.add(publisher);
    strong.add(segments);
    FunctionCounter.builder(MetricNames.PUBLISHER_LISTS, publisher, PublisherMetrics::published)
        .description("lists published by this instance")
        .register(registry);
    FunctionCounter.builder(MetricNames.PUBLISHER_BYTES, publisher, PublisherMetrics::bytes)
        .description("bytes of the lists published by this instance (JWT + CWT + W3C)")
        .register(registry);
    for (PublisherMetrics.Failure reason : PublisherMetrics.Failure.values()) {
      FunctionCounter.builder(MetricNames.PUBLISHER_FAILURES, publisher, p -> p.failures(reason))
          .description("failed publication attempts of this instance, by reason")
          .tag("reason", reason.label())
          .register(registry);
    }
    Gauge.builder(MetricNames.PUBLISHER_BACKOFF, publisher, PublisherMetrics::inBackoff)
        .description("lists whose publication failed and that wait out a back-off")
        .register(registry);
    Gauge.builder(MetricNames.PUBLISHER_SEGMENT_CACHE, segments, SegmentCache::bytes)
        .description("compressed page segments kept by this instance's publishers")
        .register(registry);
    FunctionCounter.builder(MetricNames.PUBLISHER_SEGMENT_MISSES, segments, SegmentCache::misses)
        .description("publications that compressed their whole list (first, evicted, moved)")
        .register(registry);
    Timer publish =
        Timer.builder(MetricNames.PUBLISHER_PUBLISH)
            .description("one publication: reading, compressing and signing a list")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    publisher.listen((bytes, took) -> publish.record(took));
  }

  public String scrape() {
    return registry.scrape();
  }

  public Instant now() {
    return clock.instant();
  }

  public void close() {
    if (gc != null) {
      gc.close();
    }
    registry.close();
  }
}
