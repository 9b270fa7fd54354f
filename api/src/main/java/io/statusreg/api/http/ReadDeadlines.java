package io.statusreg.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statusreg.api.metrics.MetricNames;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines for reading a request, which Jetty's idle timeout does not give: a client that trickles
 * one header byte every few seconds is never idle. Watches every open HTTP/1 connection and closes
 * one whose request line and headers take longer than {@code headerTimeout}, or whose body takes
 * longer than {@code bodyTimeout} once the headers are in. A sweeper thread reads each parser's
 * state a few times per deadline (a racy read of one field is enough for a deadline), so the cost
 * per request is nothing on the read path.
 */
public final class ReadDeadlines extends AbstractLifeCycle implements Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(ReadDeadlines.class);

  /** Which part of a request a connection is reading. */
  enum Phase {
    IDLE,
    HEADERS,
    BODY
  }

  private static final class Watch {
    Phase phase = Phase.IDLE;
    long since;
    long messages;
  }

  private final long headerNanos;
  private final long bodyNanos;
  private final long periodMillis;
  private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
  private final Counter cutHeaders;
  private final Counter cutBody;
  private ScheduledExecutorService sweeper;

  public ReadDeadlines(Duration headerTimeout, Duration bodyTimeout, MeterRegistry meters) {
    this.headerNanos = headerTimeout.toNanos();
    this.bodyNanos = bodyTimeout.toNanos();
    long shortest = Math.min(headerTimeout.toMillis(), bodyTimeout.toMillis());
    this.periodMillis = Math.clamp(shortest / 4, 25, 1_000);
    this.cutHeaders = cut(meters, "headers");
    this.cutBody = cut(meters, "body");
  }

  private static Counter cut(MeterRegistry meters, String phase) {
    return Counter.builder(MetricNames.HTTP_CONNECTIONS_CUT)
        .description("connections closed because a request's headers or body came too slowly")
        .tag("phase", phase)
        .register(meters);
  }

  @Override
  protected void doStart() {
    sweeper =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("http-read-deadlines").factory());
    sweeper.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doStop() {
    sweeper.shutdownNow();
    open.clear();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      Watch w = new Watch();
      w.since = System.nanoTime();
      open.put(http, w);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.remove(http);
    }
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      open.forEach((connection, watch) -> check(connection, watch, now));
    } catch (RuntimeException e) {
      log.warn("checking request read deadlines", e);
    }
  }

  private void check(HttpConnection connection, Watch watch, long now) {
    Phase phase = phaseOf(connection.getParser().getState());
    long messages = connection.getMessagesIn();
    if (phase != watch.phase || messages != watch.messages) {
      watch.phase = phase;
      watch.messages = messages;
      watch.since = now;
      return;
    }
    long elapsed = now - watch.since;
    if (phase == Phase.HEADERS && elapsed > headerNanos) {
      cutHeaders.increment();
      close(connection, phase);
    } else if (phase == Phase.BODY && elapsed > bodyNanos) {
      cutBody.increment();
      close(connection, phase);
    }
  }

  private void close(HttpConnection connection, Phase phase) {
    log.debug("closing a connection that sent its request {} too slowly", phase);
    open.remove(connection);
    connection.getEndPoint().close();
  }

  /**
   * The phase of a parser state. Exhaustive, with no default: a state a new Jetty adds does not
   * compile until it is placed, instead of silently escaping both deadlines as idle.
   */
  static Phase phaseOf(HttpParser.State state) {
    return switch (state) {
      case METHOD, SPACE1, URI, SPACE2, REQUEST_VERSION, PROXY, HEADER -> Phase.HEADERS;
      case CONTENT, EOF_CONTENT, CHUNKED_CONTENT, CHUNK_SIZE, CHUNK, CHUNK_END, TRAILER ->
          Phase.BODY;
      case START, CONTENT_END, END, CLOSE, CLOSED -> Phase.IDLE;
      // A response parser's states: never those of a server connection.
      case RESPONSE_VERSION, STATUS, REASON -> Phase.IDLE;
    };
  }
}
