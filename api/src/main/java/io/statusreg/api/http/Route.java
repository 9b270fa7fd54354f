package io.statusreg.api.http;

import io.statusreg.api.auth.Scope;
import io.statusreg.api.metadata.IssuerDocumentHandler;
import io.statusreg.api.metadata.IssuerMetadataHandler;
import java.util.Set;

/**
 * Every route of the API, declared once: method, path template and, for issuer routes, the scope
 * the bearer token must carry. The server binds each to its handler through an exhaustive switch (a
 * route without a handler does not compile), the OpenAPI document is checked against this list, the
 * token path's prefix is read from here, and metric labels take their route values from these
 * templates only.
 */
public enum Route {
  TOKEN("GET", "/statuslists/{issuer}/{list}", null),
  TOKEN_HEAD("HEAD", "/statuslists/{issuer}/{list}", null),
  TOKEN_PREFLIGHT("OPTIONS", "/statuslists/{issuer}/{list}", null),
  ISSUER_LISTS("GET", "/statuslists/{issuer}", null),
  ISSUER_LISTS_PREFLIGHT("OPTIONS", "/statuslists/{issuer}", null),
  JWKS("GET", "/.well-known/jwks.json", null),
  JWKS_PREFLIGHT("OPTIONS", "/.well-known/jwks.json", null),
  ISSUER_METADATA("GET", IssuerMetadataHandler.PATH, null),
  ISSUER_METADATA_PREFLIGHT("OPTIONS", IssuerMetadataHandler.PATH, null),
  ISSUER_DOCUMENT("GET", IssuerDocumentHandler.PATH, null),
  ISSUER_DOCUMENT_PREFLIGHT("OPTIONS", IssuerDocumentHandler.PATH, null),
  CREATE_LIST("POST", "/issuers/{issuer}/lists", Scope.LISTS_ADMIN),
  ALLOCATE_ANY("POST", "/issuers/{issuer}/allocations", Scope.STATUS_WRITE),
  ALLOCATE_ON_LIST("POST", "/issuers/{issuer}/lists/{list}/allocations", Scope.STATUS_WRITE),
  PUT_ENTRY("PUT", "/issuers/{issuer}/lists/{list}/entries/{idx}", Scope.STATUS_WRITE),
  GET_ENTRY("GET", "/issuers/{issuer}/lists/{list}/entries/{idx}", Scope.STATUS_READ),
  BULK_CHANGE("POST", "/issuers/{issuer}/lists/{list}/entries", Scope.STATUS_WRITE),
  RETIRE_LIST("POST", "/issuers/{issuer}/lists/{list}/retire", Scope.LISTS_ADMIN),
  CREATE_IDENTIFIER_LIST("POST", "/issuers/{issuer}/identifier-lists", Scope.LISTS_ADMIN),
  ISSUE_IDENTIFIERS(
      "POST", "/issuers/{issuer}/identifier-lists/{list}/identifiers", Scope.STATUS_WRITE),
  ISSUE_ANY_IDENTIFIERS("POST", "/issuers/{issuer}/identifiers", Scope.STATUS_WRITE),
  REVOKE_IDENTIFIERS(
      "POST", "/issuers/{issuer}/identifier-lists/{list}/revocations", Scope.STATUS_WRITE),
  HEALTH_LIVE("GET", "/health/live", null),
  HEALTH_READY("GET", "/health/ready", null),
  METRICS("GET", "/metrics", null),
  OPENAPI("GET", "/openapi.json", null);

  /** Prefix of every issuer route: their responses are never stored by caches. */
  public static final String ISSUER_PREFIX = "/issuers/";

  /** The route label of a request that matched no route. */
  public static final String UNMATCHED = "unmatched";

  /** The method label of a request whose method is not a standard one. */
  public static final String OTHER_METHOD = "other";

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private static final Set<String> TEMPLATES =
      java.util.Arrays.stream(values())
          .map(Route::path)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final String method;
  private final String path;
  private final Scope scope;

  Route(String method, String path, Scope scope) {
    this.method = method;
    this.path = path;
    this.scope = scope;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  /** The scope an issuer's bearer token needs, or null for a public or operations route. */
  public Scope scope() {
    return scope;
  }

  /** The literal part of the template before its first parameter. */
  public String prefix() {
    int brace = path.indexOf('{');
    return brace < 0 ? path : path.substring(0, brace);
  }

  /** {@code template} when it is one of the declared templates, else {@link #UNMATCHED}. */
  public static String label(String template) {
    return template != null && TEMPLATES.contains(template) ? template : UNMATCHED;
  }

  /** {@code method} when it is a standard HTTP method, else {@link #OTHER_METHOD}. */
  public static String methodLabel(String method) {
    return method != null && METHODS.contains(method) ? method : OTHER_METHOD;
  }

  /**
   * Whether {@code path} is the token route's: {@code /statuslists/a/b}, two non-empty segments,
   * one trailing slash tolerated. No allocation: it runs on the selector thread.
   */
  public static boolean isTokenPath(String path) {
    return split(path) > 0;
  }

  /**
   * The decoded {@code {issuer}} and {@code {list}} segments when {@code path} is the token route's
   * (see {@link #isTokenPath}), else null.
   */
  public static String[] tokenSegments(String path) {
    int slash = split(path);
    if (slash < 0) {
      return null;
    }
    int end = path.endsWith("/") ? path.length() - 1 : path.length();
    return new String[] {
      path.substring(TOKEN_PREFIX.length(), slash), path.substring(slash + 1, end)
    };
  }

  /** The index of the slash between the two segments of a token path, or -1. */
  private static int split(String path) {
    if (path == null || !path.startsWith(TOKEN_PREFIX)) {
      return -1;
    }
    int start = TOKEN_PREFIX.length();
    int end = path.endsWith("/") ? path.length() - 1 : path.length();
    int slash = path.indexOf('/', start);
    if (slash <= start || slash + 1 >= end) {
      return -1;
    }
    int extra = path.indexOf('/', slash + 1);
    return extra >= 0 && extra < end ? -1 : slash;
  }

  private static final String TOKEN_PREFIX = TOKEN.prefix();
}
