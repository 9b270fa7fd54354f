package io.statusreg.api.problems;

import java.net.URI;

/** Every kind of error the API returns, each with a stable {@code type} URI, title and status. */
public enum ProblemKind {
  MALFORMED_REQUEST("malformed-request", "Malformed request", 400),
  UNAUTHORIZED("unauthorized", "Authentication required", 401),
  FORBIDDEN("forbidden", "Forbidden", 403),
  NOT_FOUND("not-found", "Not found", 404),
  LIST_NOT_FOUND("list-not-found", "Status list not found", 404),
  TOKEN_NOT_IN_HISTORY("token-not-in-history", "No token for that time", 404),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
  NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
  REQUEST_TIMEOUT("request-timeout", "Request not received in time", 408),
  STATUS_CONFLICT("status-conflict", "Refused by the status rules", 409),
  LIST_EXISTS("list-exists", "Status list exists", 409),
  LIST_FULL("list-full", "Status list full", 409),
  LIST_RETIRED("list-retired", "Status list retired", 409),
  BODY_TOO_LARGE("body-too-large", "Request body too large", 413),
  URI_TOO_LONG("uri-too-long", "Request URI too long", 414),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
  UNPROCESSABLE("unprocessable", "Unprocessable request", 422),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key reused", 422),
  QUOTA_EXCEEDED("quota-exceeded", "Issuer quota exceeded", 422),
  HEADERS_TOO_LARGE("headers-too-large", "Request headers too large", 431),
  INTERNAL("internal", "Internal error", 500),
  NOT_IMPLEMENTED("not-implemented", "Not implemented", 501),
  UNAVAILABLE("unavailable", "Service unavailable", 503),
  HTTP_VERSION_NOT_SUPPORTED("http-version-not-supported", "HTTP version not supported", 505);

  /** Base of every problem type URI. */
  public static final String TYPE_BASE = "https://statusreg.io/problems/";

  private final String slug;
  private final String title;
  private final int status;
  private final URI type;

  ProblemKind(String slug, String title, int status) {
    this.slug = slug;
    this.title = title;
    this.status = status;
    this.type = URI.create(TYPE_BASE + slug);
  }

  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public int status() {
    return status;
  }

  public URI type() {
    return type;
  }
}
