package io.statusreg.analytics.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink's metrics, named {@code statusreg_analytics_sink_<thing>_<unit>} once rendered for
 * Prometheus:
 *
 * <ul>
 *   <li>{@code statusreg_analytics_sink_lag_records}: records in the topics not yet committed by
 *       the sink (end offset minus committed offset, summed over its partitions)
 *   <li>{@code statusreg_analytics_sink_inserted_rows_total{table}}: rows inserted
 *   <li>{@code statusreg_analytics_sink_insert_failures_total}: failed insert attempts
 *   <li>{@code statusreg_analytics_sink_batch_seconds}: time to insert and commit one batch
 *   <li>{@code statusreg_analytics_sink_skipped_records_total{topic}}: unreadable records sent to
 *       the dead-letter topic and skipped
 *   <li>{@code statusreg_analytics_sink_paused}: 1 while consumption is paused
 * </ul>
 */
public final class SinkMetrics {
  public static final String LAG = "statusreg.analytics.sink.lag.records";
  public static final String INSERTED = "statusreg.analytics.sink.inserted.rows";
  public static final String FAILURES = "statusreg.analytics.sink.insert.failures";
  public static final String BATCH = "statusreg.analytics.sink.batch";
  public static final String SKIPPED = "statusreg.analytics.sink.skipped.records";
  public static final String PAUSED = "statusreg.analytics.sink.paused";

  private final MeterRegistry registry;
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong paused = new AtomicLong();
  final Counter failures;
  final Timer batch;

  SinkMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(LAG, lag, AtomicLong::get)
        .description("records not yet committed by the analytics sink")
        .baseUnit("records")
        .register(registry);
    Gauge.builder(PAUSED, paused, AtomicLong::get)
        .description("1 while the sink has paused consumption")
        .register(registry);
    failures =
        Counter.builder(FAILURES)
            .description("failed ClickHouse insert attempts")
            .register(registry);
    batch =
        Timer.builder(BATCH).description("time to insert and commit one batch").register(registry);
  }

  void lag(long records) {
    lag.set(records);
  }

  void paused(boolean isPaused) {
    paused.set(isPaused ? 1 : 0);
  }

  void inserted(String table, int rows) {
    Counter.builder(INSERTED)
        .description("rows inserted into ClickHouse")
        .tag("table", table)
        .register(registry)
        .increment(rows);
  }

  void skipped(String topic) {
    Counter.builder(SKIPPED)
        .description("records that could not be read: sent to the dead-letter topic and skipped")
        .tag("topic", topic)
        .register(registry)
        .increment();
  }
}
