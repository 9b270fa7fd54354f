package io.statusreg.api.verifier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The verifier hot path as the server's outermost Jetty core handler, wrapping Javalin's: a plain
 * {@code GET /statuslists/{issuer}/{list}} (no query) for a list in the {@link TokenCache} with an
 * acceptable representation is one map lookup and a write of a prebuilt direct buffer with
 * pre-encoded header fields, on the selector thread that read the request. Anything else (history,
 * unknown lists, 406, malformed ids, HEAD, OPTIONS, issuer routes) goes on to the wrapped handlers
 * on a virtual thread, where the Javalin route answers with the same bytes or with a problem
 * document; this handler writes an error only when that hand-off itself fails.
 */
public final class FastTokenHandler extends Handler.Wrapper {
  private static final HttpField VARY =
      new PreEncodedHttpField(HttpHeader.VARY, VerifierHandlers.VARY);
  private static final HttpField ALLOW_ORIGIN =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
  private static final HttpField EXPOSE =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, VerifierHandlers.EXPOSE);
  private static final HttpField GZIP =
      new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip");

  private final TokenCache cache;
  private final Clock clock;
  private final Executor blocking;
  private final Timer ok;
  private final Timer notModified;
  private final LongAdder served = new LongAdder();

  /**
   * @param blocking runs every request this handler does not answer (the wrapped handlers may
   *     block: Javalin's servlet, issuer commands waiting for durability); virtual threads
   */
  public FastTokenHandler(TokenCache cache, Clock clock, MeterRegistry meters, Executor blocking) {
    this.cache = cache;
    this.clock = clock;
    this.blocking = blocking;
    this.ok = timer(meters, 200);
    this.notModified = timer(meters, 304);
  }

  private static Timer timer(MeterRegistry meters, int status) {
    return Timer.builder(io.statusreg.api.metrics.MetricNames.HTTP_REQUESTS)
        .description("HTTP requests by route template, method and status")
        .tag("route", "/statuslists/{issuer}/{list}")
        .tag("method", "GET")
        .tag("status", Integer.toString(status))
        .register(meters);
  }

  /**
   * Non-blocking whatever the wrapped handlers are, so that Jetty runs {@link #handle} on the
   * selector thread that read the request (no dispatch, no selector wake-up): token fetches are
   * answered there, everything else is handed to {@link #blocking}.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (serve(request, response, callback)) {
      return true;
    }
    Handler next = getHandler();
    try {
      blocking.execute(() -> handleBlocking(next, request, response, callback));
    } catch (RejectedExecutionException e) {
      Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
    }
    return true;
  }

  private static void handleBlocking(
      Handler next, Request request, Response response, Callback callback) {
    try {
      if (next == null || !next.handle(request, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Throwable x) {
      Response.writeError(request, response, callback, x);
    }
  }

  private boolean serve(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    if (!"GET".equals(request.getMethod())) {
      return false;
    }
    HttpURI uri = request.getHttpURI();
    if (uri.getQuery() != null) {
      return false;
    }
    PreparedList prepared = cache.cachedAt(uri.getPath());
    if (prepared == null) {
      return false;
    }
    HttpFields fields = request.getHeaders();
    Representation r = Negotiation.select(fields.get(HttpHeader.ACCEPT), prepared.variants());
    if (r == null) {
      return false;
    }
    PreparedList.Variant v = prepared.variant(r);
    boolean gzip =
        v.gzip() != null && Negotiation.acceptsGzip(fields.get(HttpHeader.ACCEPT_ENCODING));
    HttpFields.Mutable out = response.getHeaders();
    out.add(v.contentTypeField());
    out.add(gzip ? v.gzipEtagField() : v.etagField());
    out.add(prepared.cacheControlField(clock.millis() / 1000));
    out.add(prepared.lastModifiedField());
    out.add(VARY);
    out.add(ALLOW_ORIGIN);
    out.add(EXPOSE);
    served.increment();
    if (Negotiation.noneMatch(fields.get(HttpHeader.IF_NONE_MATCH), v.etag(), v.gzipEtag())) {
      response.setStatus(304);
      response.write(true, null, callback);
      notModified.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return true;
    }
    if (gzip) {
      out.add(GZIP);
      out.add(v.gzipContentLengthField());
    } else {
      out.add(v.contentLengthField());
    }
    response.setStatus(200);
    response.write(true, (gzip ? v.gzipBuffer() : v.bodyBuffer()).slice(), callback);
    ok.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return true;
  }

  /** Requests answered here rather than by the Javalin route. */
  public long served() {
    return served.sum();
  }
}
