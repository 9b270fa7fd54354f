package io.statusreg.api.verifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.http.Json;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import io.statusreg.streams.TokenDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Public routes for verifiers: the signed token of a list (content negotiation, ETag/304, caching
 * headers, gzip, CORS), an issuer's list URIs, and the JWKS. No authentication (EUDI ARF VCR_16).
 */
public final class VerifierHandlers {
  static final String VARY = "Accept, Accept-Encoding";
  static final String EXPOSE = "ETag, Content-Encoding, Content-Length";

  private final TokenCache cache;
  private final TokenDirectory directory;
  private final PublicKeys keys;
  private final Clock clock;

  public VerifierHandlers(
      TokenCache cache, TokenDirectory directory, PublicKeys keys, Clock clock) {
    this.cache = cache;
    this.directory = directory;
    this.keys = keys;
    this.clock = clock;
  }

  /** {@code GET /statuslists/{issuer}/{list}[?time=unix-seconds | ?timestamp=dateTimeStamp]}. */
  public void token(Context ctx) {
    cors(ctx);
    String issuer = ctx.pathParam("issuer");
    String name = ctx.pathParam("list");
    Optional<Instant> history =
        HistoryQuery.of(ctx.queryParam("time"), ctx.queryParam("timestamp"));
    PreparedList prepared;
    if (history.isEmpty()) {
      prepared = cache.cached(issuer, name);
      if (prepared == null) {
        prepared = cache.latest(ListId.of(issuer, name)).orElseThrow(VerifierHandlers::noList);
      }
    } else {
      Instant at = history.get();
      ListId list = ListId.of(issuer, name);
      prepared =
          cache
              .at(list, at)
              .orElseThrow(
                  () ->
                      cache.latest(list).isPresent()
                          ? new ApiProblem(
                              ProblemKind.TOKEN_NOT_IN_HISTORY,
                              "no token of this list was valid at " + at.getEpochSecond())
                          : noList());
    }
    Representation r = Negotiation.select(ctx.header("Accept"), prepared.variants());
    if (r == null) {
      throw notAcceptable(prepared);
    }
    PreparedList.Variant v = prepared.variant(r);
    boolean gzip = v.gzip() != null && Negotiation.acceptsGzip(ctx.header("Accept-Encoding"));
    String etag = gzip ? v.gzipEtag() : v.etag();
    ctx.res().setContentType(r.mediaType());
    // Tokens are bytes: no charset parameter (Jetty would add one for the servlet response).
    ctx.res().setCharacterEncoding(null);
    ctx.header("ETag", etag);
    ctx.header("Cache-Control", prepared.cacheControl(clock.instant().getEpochSecond()));
    ctx.header("Last-Modified", prepared.lastModified());
    ctx.header("Vary", VARY);
    if (Negotiation.noneMatch(ctx.header("If-None-Match"), v.etag(), v.gzipEtag())) {
      ctx.status(304);
      return;
    }
    ctx.status(200);
    if (gzip) {
      ctx.header("Content-Encoding", "gzip");
      ctx.result(v.gzip());
    } else {
      ctx.result(v.body());
    }
  }

  /** {@code GET /statuslists/{issuer}}: the URIs of the issuer's published lists. */
  public void issuerLists(Context ctx) {
    cors(ctx);
    IssuerId issuer = IssuerId.of(ctx.pathParam("issuer"));
    ObjectNode out = Json.object();
    ArrayNode uris = out.putArray("status_lists");
    for (ListId list : directory.lists(issuer)) {
      cache.latest(list).ifPresent(p -> uris.add(p.token().uri()));
    }
    Json.write(ctx, 200, out);
  }

  /** {@code GET /.well-known/jwks.json}. */
  public void jwks(Context ctx) {
    cors(ctx);
    ctx.header("Cache-Control", "public, max-age=300");
    ctx.status(200);
    ctx.res().setContentType("application/jwk-set+json");
    // RFC 7517 §8.5: the media type has no charset parameter (Jetty would add one).
    ctx.res().setCharacterEncoding(null);
    ctx.result(keys.jwksJson().getBytes(StandardCharsets.UTF_8));
  }

  /** CORS preflight for the public routes: any origin may GET. */
  public void preflight(Context ctx) {
    cors(ctx);
    ctx.header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    ctx.header(
        "Access-Control-Allow-Headers", "Accept, If-None-Match, If-Modified-Since, Cache-Control");
    ctx.header("Access-Control-Max-Age", "86400");
    ctx.status(204);
  }

  static void cors(Context ctx) {
    ctx.header("Access-Control-Allow-Origin", "*");
    ctx.header("Access-Control-Expose-Headers", EXPOSE);
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
}
