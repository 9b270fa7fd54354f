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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The API's metrics, named {@code statusreg_<component>_<thing>_<unit>} with low-cardinality labels
 * (route template, method, status, outcome), exposed in the Prometheus text format.
 */
public final class ApiMetrics {
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final Timer publicationLag;
  private JvmGcMetrics gc;
  // Micrometer holds gauge and function-counter state weakly: keep the suppliers reachable.
  private final java.util.List<Object> strong = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ApiMetrics(Clock clock) {
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.publicationLag =
        Timer.builder("statusreg.publication.lag")
            .description("time from the oldest change a publication shows to its issue time")
            .publishPercentiles(0.5, 0.99)
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
    requestTimer(route, method, status).record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  /** The timer of one (route, method, status), labels folded into their closed sets. */
  public Timer requestTimer(String route, String method, int status) {
    return Timer.builder("statusreg.http.requests")
        .description("HTTP requests by route template, method and status")
        .tag("route", Route.label(route))
        .tag("method", Route.methodLabel(method))
        .tag("status", status >= 100 && status <= 599 ? Integer.toString(status) : "other")
        .register(registry);
  }

  /** Status changes requested, by outcome: {@code statusreg_api_status_changes_total}. */
  public void statusChanges(String outcome, int count) {
    Counter.builder("statusreg.api.status.changes")
        .description("entry status changes requested through the API, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment(count);
  }

  /** Indexes handed out: {@code statusreg_api_indexes_allocated_total}. */
  public void allocated(int count) {
    Counter.builder("statusreg.api.indexes.allocated")
        .description("indexes handed out to issuers")
        .register(registry)
        .increment(count);
  }

  /** A publication arrived: records its lag from the oldest change it shows. */
  public void published(PublishedToken token) {
    Counter.builder("statusreg.tokens.received")
        .description("publications received by this instance")
        .register(registry)
        .increment();
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
            "statusreg.tokens.oldest.age",
            cache,
            c ->
                c.oldestIssuedAt()
                    .map(iat -> Duration.between(iat, clock.instant()).toMillis() / 1000.0)
                    .orElse(0.0))
        .description("age of the oldest latest token this instance serves")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("statusreg.tokens.cached", cache, TokenCache::size)
        .description("lists whose latest token is prepared in memory")
        .register(registry);
  }

  /** Whether the token directory has caught up (1) or not (0). */
  public void bindReadiness(BooleanSupplier ready) {
    strong.add(ready);
    Gauge.builder("statusreg.api.ready", ready, s -> s.getAsBoolean() ? 1 : 0)
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
      Gauge.builder("statusreg.streams.state", state, current -> s.equals(current.get()) ? 1 : 0)
          .description("1 for the current Kafka Streams state of this instance")
          .tag("state", s)
          .register(registry);
    }
    FunctionCounter.builder("statusreg.streams.rebalances", rebalances, r -> r.get())
        .description("times this instance's Kafka Streams entered REBALANCING")
        .register(registry);
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
