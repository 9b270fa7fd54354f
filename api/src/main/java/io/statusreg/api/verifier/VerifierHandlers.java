package io.statusreg.api.verifier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.http.Json;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import io.statusreg.streams.TokenDirectory;
import java.nio.charset.StandardCharsets;

/**
 * Public routes for verifiers other than the token itself ({@link TokenHandler}): an issuer's list
 * URIs, the JWKS and CORS preflights. No authentication (EUDI ARF VCR_16).
 */
public final class VerifierHandlers {
  static final String EXPOSE = TokenHandler.EXPOSE_VALUE;

  private final TokenCache cache;
  private final TokenDirectory directory;
  private final PublicKeys keys;

  public VerifierHandlers(TokenCache cache, TokenDirectory directory, PublicKeys keys) {
    this.cache = cache;
    this.directory = directory;
    this.keys = keys;
  }

  /**
   * {@code GET /statuslists/{issuer}}: the issuer's Status List Aggregation. {@code status_lists}
   * holds the URIs of its published status lists only (the Token Status List draft's format: an
   * IETF client may fetch each as a Status List Token); the URIs of its published ISO 18013-5
   * identifier lists, which answer {@code application/identifierlist+cwt} only, are under {@code
   * identifier_lists}, a member present only when the issuer has any.
   */
  public void issuerLists(Context ctx) {
    cors(ctx);
    IssuerId issuer = IssuerId.of(ctx.pathParam("issuer"));
    ObjectNode out = Json.object();
    ArrayNode statusLists = out.putArray("status_lists");
    ArrayNode identifierLists = out.arrayNode();
    for (ListId list : directory.lists(issuer)) {
      cache
          .latest(list)
          .ifPresent(
              p ->
                  (p.token().isIdentifierList() ? identifierLists : statusLists)
                      .add(p.token().uri()));
    }
    if (!identifierLists.isEmpty()) {
      out.set("identifier_lists", identifierLists);
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
}
