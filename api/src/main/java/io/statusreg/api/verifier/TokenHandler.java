package io.statusreg.api.verifier;

import io.micrometer.core.instrument.Timer;
import io.statusreg.api.http.Route;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemErrorHandler;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import io.statusreg.api.problems.SecurityHeaders;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
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
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of the verifier's token route ({@link Route#TOKEN}, {@link
 * Route#TOKEN_HEAD}), as the server's outermost Jetty core handler, wrapping Javalin's. A plain GET
 * (no query) of a list in the {@link TokenCache} is answered on the selector thread that read the
 * request: one map lookup and a write of a prebuilt direct buffer with pre-encoded header fields.
 * Every other token request (HEAD, {@code ?time=}, a list not yet cached, a malformed id) is
 * answered by the same code on a virtual thread, with the same headers and problem documents.
 * Requests for other routes go on to the wrapped handlers on a virtual thread.
 *
 * <p>Every response through this handler carries {@code X-Content-Type-Options: nosniff}, and
 * responses on issuer routes {@code Cache-Control: no-store}.
 */
public final class TokenHandler extends Handler.Wrapper {
  private static final Logger log = LoggerFactory.getLogger(TokenHandler.class);
  static final String VARY_VALUE = "Accept, Accept-Encoding";
  static final String EXPOSE_VALUE = "ETag, Content-Encoding, Content-Length";
  private static final HttpField VARY = new PreEncodedHttpField(HttpHeader.VARY, VARY_VALUE);
  private static final HttpField ALLOW_ORIGIN =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
  private static final HttpField EXPOSE =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_VALUE);
  private static final HttpField GZIP =
      new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip");
  private static final String ROUTE = Route.TOKEN.path();

  private final TokenCache cache;
  private final Clock clock;
  private final Executor blocking;
  private final ApiMetrics metrics;
  private final Timer ok;
  private final Timer notModified;
  private final LongAdder served = new LongAdder();

  /**
   * @param blocking runs every request not answered on the selector (the wrapped handlers may
   *     block: Javalin's servlet, issuer commands waiting for durability); virtual threads
   */
  public TokenHandler(TokenCache cache, Clock clock, ApiMetrics metrics, Executor blocking) {
    this.cache = cache;
    this.clock = clock;
    this.metrics = metrics;
    this.blocking = blocking;
    this.ok = metrics.requestTimer(ROUTE, "GET", 200);
    this.notModified = metrics.requestTimer(ROUTE, "GET", 304);
  }

  /**
   * Non-blocking whatever the wrapped handlers are, so that Jetty runs {@link #handle} on the
   * selector thread that read the request (no dispatch, no selector wake-up): cached token fetches
   * are answered there, everything else is handed to {@link #blocking}.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    HttpFields.Mutable out = response.getHeaders();
    out.add(SecurityHeaders.NOSNIFF);
    HttpURI uri = request.getHttpURI();
    String path = uri.getPath();
    String method = request.getMethod();
    boolean get = "GET".equals(method);
    if (get && uri.getQuery() == null) {
      // The cache is keyed by token paths only: a hit needs no further matching.
      PreparedList prepared = cache.cachedAt(path);
      if (prepared != null && answer(request, response, callback, prepared, false, true, start)) {
        return true;
      }
    }
    boolean token = (get || "HEAD".equals(method)) && Route.isTokenPath(path);
    if (!token && path != null && path.startsWith(Route.ISSUER_PREFIX)) {
      out.add(SecurityHeaders.NO_STORE);
    }
    Runnable work =
        token
            ? () -> answerBlocking(request, response, callback, start)
            : () -> next(getHandler(), request, response, callback);
    try {
      blocking.execute(work);
    } catch (RejectedExecutionException e) {
      Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
    }
    return true;
  }

  private static void next(Handler next, Request request, Response response, Callback callback) {
    try {
      if (next == null || !next.handle(request, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Throwable x) {
      Response.writeError(request, response, callback, x);
    }
  }

  /** Token requests that need parsing, the directory or history: on a virtual thread. */
  private void answerBlocking(Request request, Response response, Callback callback, long start) {
    boolean head = "HEAD".equals(request.getMethod());
    int status;
    try {
      PreparedList prepared = lookup(request);
      if (answer(request, response, callback, prepared, head, false, start)) {
        return;
      }
      status = problem(response, callback, notAcceptable(prepared));
    } catch (ApiProblem p) {
      status = problem(response, callback, p);
    } catch (RegistryException.InvalidInput e) {
      status =
          problem(
              response, callback, new ApiProblem(ProblemKind.MALFORMED_REQUEST, e.getMessage()));
    } catch (RuntimeException e) {
      log.error("{} {} failed", request.getMethod(), ROUTE, e);
      status = problem(response, callback, new ApiProblem(ProblemKind.INTERNAL, null));
    }
    record(request.getMethod(), status, start);
  }

  private PreparedList lookup(Request request) {
    String[] segments = Route.tokenSegments(request.getHttpURI().getDecodedPath());
    if (segments == null) {
      throw new ApiProblem(ProblemKind.NOT_FOUND, "no such resource");
    }
    String issuer = segments[0];
    String name = segments[1];
    Optional<Instant> history = Optional.empty();
    if (request.getHttpURI().getQuery() != null) {
      Fields query;
      try {
        query = Request.extractQueryParameters(request);
      } catch (RuntimeException e) {
        throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, "the query is not well-formed");
      }
      history = HistoryQuery.of(single(query, "time"), single(query, "timestamp"));
    }
    ListId list = ListId.of(issuer, name);
    if (history.isEmpty()) {
      return cache.latest(list).orElseThrow(TokenHandler::noList);
    }
    Instant at = history.get();
    Optional<PreparedList> found = cache.at(list, at);
    if (found.isPresent()) {
      return found.get();
    }
    throw cache.latest(list).isPresent()
        ? new ApiProblem(
            ProblemKind.TOKEN_NOT_IN_HISTORY,
            "no token of this list was valid at " + at.getEpochSecond())
        : noList();
  }

  /**
   * Writes {@code prepared} as the request's negotiated representation (200, or 304 for a matching
   * If-None-Match); false, writing nothing, when no representation is acceptable.
   */
  private boolean answer(
      Request request,
      Response response,
      Callback callback,
      PreparedList prepared,
      boolean head,
      boolean selector,
      long start) {
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
    if (selector) {
      served.increment(); // before the write: the client may read the count once it has the reply
    }
    if (Negotiation.noneMatch(fields.get(HttpHeader.IF_NONE_MATCH), v.etag(), v.gzipEtag())) {
      response.setStatus(304);
      response.write(true, null, callback);
      if (head) {
        record("HEAD", 304, start);
      } else {
        notModified.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
      return true;
    }
    if (gzip) {
      out.add(GZIP);
      out.add(v.gzipContentLengthField());
    } else {
      out.add(v.contentLengthField());
    }
    response.setStatus(200);
    ByteBuffer body = head ? null : (gzip ? v.gzipBuffer() : v.bodyBuffer()).slice();
    response.write(true, body, callback);
    if (head) {
      record("HEAD", 200, start);
    } else {
      ok.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    return true;
  }

  private static int problem(Response response, Callback callback, ApiProblem p) {
    HttpFields.Mutable out = response.getHeaders();
    out.add(ALLOW_ORIGIN);
    out.add(EXPOSE);
    out.put(ProblemErrorHandler.CONTENT_TYPE);
    // A problem is never cached, by a CDN either: the list may be published a moment later.
    out.put(SecurityHeaders.NO_STORE);
    p.headers().forEach(out::put);
    int status = p.kind().status();
    response.setStatus(status);
    response.write(true, ByteBuffer.wrap(Problems.body(p.kind(), p.detail())), callback);
    return status;
  }

  private void record(String method, int status, long start) {
    metrics.request(ROUTE, method, status, (System.nanoTime() - start) / 1e6f);
  }

  /** The one value of a query parameter, null when absent; given twice is a 400 problem. */
  private static String single(Fields query, String name) {
    List<String> values = query.getValues(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, "give " + name + " at most once");
    }
    return values.getFirst();
  }

  private static ApiProblem noList() {
    return new ApiProblem(ProblemKind.LIST_NOT_FOUND, "no published status list at this URI");
  }

  private static ApiProblem notAcceptable(PreparedList prepared) {
    String supported =
        Arrays.stream(Representation.values())
            .filter(r -> prepared.variant(r) != null)
            .map(Representation::mediaType)
            .collect(Collectors.joining(", "));
    return new ApiProblem(ProblemKind.NOT_ACCEPTABLE, "this list is available as: " + supported);
  }

  /** Requests answered on the selector thread (cached plain GETs). */
  public long served() {
    return served.sum();
  }
}
