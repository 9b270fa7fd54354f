package io.statusreg.api.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationException;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.fold.Rejection;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapper from failures to RFC 9457 problem documents. Every error response of the API is
 * written here: a stable {@code type} per {@link ProblemKind}, a {@code title}, the {@code status}
 * and a {@code detail} that never carries internals for a 5xx.
 */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Problems() {}

  /** Maps a domain rejection to its problem kind. */
  public static ProblemKind of(Rejection.Kind kind) {
    return switch (kind) {
      case LIST_NOT_FOUND -> ProblemKind.LIST_NOT_FOUND;
      case LIST_EXISTS -> ProblemKind.LIST_EXISTS;
      case CONFLICT -> ProblemKind.STATUS_CONFLICT;
      case UNPROCESSABLE -> ProblemKind.UNPROCESSABLE;
      case LIST_FULL -> ProblemKind.LIST_FULL;
      case LIST_RETIRED -> ProblemKind.LIST_RETIRED;
      case KEY_REUSED -> ProblemKind.IDEMPOTENCY_KEY_REUSED;
    };
  }

  public static ApiProblem rejected(Rejection rejection) {
    return new ApiProblem(of(rejection.kind()), rejection.message());
  }

  /** Writes the problem for any exception that reached the server's exception handler. */
  public static void handle(Exception raw, Context ctx) {
    Throwable e = unwrap(raw);
    switch (e) {
      case ApiProblem p -> write(ctx, p.kind(), p.detail(), p.headers());
      case RegistryException.InvalidInput i ->
          write(ctx, ProblemKind.MALFORMED_REQUEST, i.getMessage(), Map.of());
      case ValidationException v ->
          write(ctx, ProblemKind.MALFORMED_REQUEST, "invalid " + fields(v), Map.of());
      case TimeoutException t -> {
        log.warn("{} {}: timed out waiting for the registry", ctx.method(), ctx.path());
        write(
            ctx,
            ProblemKind.UNAVAILABLE,
            "the registry did not confirm the request in time; retry with the same Idempotency-Key",
            Map.of("Retry-After", "1"));
      }
      case HttpResponseException h -> write(ctx, fromStatus(h.getStatus()), null, Map.of());
      default -> {
        log.error("{} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, ProblemKind.INTERNAL, null, Map.of());
      }
    }
  }

  /** An exception from a gateway future means the registry could not be reached in time. */
  public static ApiProblem unavailable(Throwable cause) {
    log.warn("registry unavailable: {}", String.valueOf(unwrap(cause)));
    return new ApiProblem(
        ProblemKind.UNAVAILABLE,
        "the registry is not reachable right now; retry with the same Idempotency-Key",
        Map.of("Retry-After", "1"));
  }

  private static String fields(ValidationException v) {
    return String.join(", ", v.getErrors().keySet());
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof CancellationException) {
      return new TimeoutException();
    }
    return t;
  }

  public static ProblemKind fromStatus(int status) {
    return switch (status) {
      case 400 -> ProblemKind.MALFORMED_REQUEST;
      case 401 -> ProblemKind.UNAUTHORIZED;
      case 403 -> ProblemKind.FORBIDDEN;
      case 404 -> ProblemKind.NOT_FOUND;
      case 405 -> ProblemKind.METHOD_NOT_ALLOWED;
      case 406 -> ProblemKind.NOT_ACCEPTABLE;
      case 408 -> ProblemKind.REQUEST_TIMEOUT;
      case 413 -> ProblemKind.BODY_TOO_LARGE;
      case 414 -> ProblemKind.URI_TOO_LONG;
      case 415 -> ProblemKind.UNSUPPORTED_MEDIA_TYPE;
      case 422 -> ProblemKind.UNPROCESSABLE;
      case 431 -> ProblemKind.HEADERS_TOO_LARGE;
      case 501 -> ProblemKind.NOT_IMPLEMENTED;
      case 503 -> ProblemKind.UNAVAILABLE;
      case 505 -> ProblemKind.HTTP_VERSION_NOT_SUPPORTED;
      default ->
          status >= 400 && status < 500 ? ProblemKind.MALFORMED_REQUEST : ProblemKind.INTERNAL;
    };
  }

  /** Whether the response already carries a problem document. */
  public static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(CONTENT_TYPE);
  }

  /** Writes a problem document; {@code detail} may be null (the title is then the whole story). */
  public static void write(
      Context ctx, ProblemKind kind, String detail, Map<String, String> headers) {
    ctx.status(kind.status());
    // No problem is stored, by a CDN either: the same request may succeed a moment later.
    ctx.header("Cache-Control", "no-store");
    headers.forEach(ctx::header);
    ctx.res().setContentType(CONTENT_TYPE);
    ctx.res().setCharacterEncoding(null);
    ctx.result(body(kind, detail));
  }

  /**
   * The bytes of a problem document. The detail of a 5xx other than {@code unavailable} is dropped
   * here, for every writer (Javalin's routes, the token handler, Jetty's errors): it may name
   * internals.
   */
  public static byte[] body(ProblemKind kind, String detail) {
    if (kind.status() >= 500 && kind != ProblemKind.UNAVAILABLE) {
      detail = null;
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("type", kind.type().toString());
    node.put("title", kind.title());
    node.put("status", kind.status());
    if (detail != null) {
      node.put("detail", detail);
    }
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a problem document", e);
    }
  }
}
