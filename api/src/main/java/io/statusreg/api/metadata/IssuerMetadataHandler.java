package io.statusreg.api.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.http.Json;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.registry.IssuerId;
import io.statusreg.streams.publication.RegistryListSigner;

/**
 * {@code GET /.well-known/jwt-vc-issuer/issuers/{issuer}}: the issuer metadata of an issuer whose
 * lists this registry signs (SD-JWT VC §5, the metadata path is the issuer URL's with {@code
 * /.well-known/jwt-vc-issuer} inserted after the host). It makes the W3C credential's {@code iss}
 * ({@code <public.base.url>/issuers/<issuer>}) resolvable: {@code jwks} holds the keys whose {@code
 * kid} the VC-JWT header names. With {@code aggregation.enabled} it also names the issuer's Status
 * List Aggregation endpoint as {@code status_list_aggregation_endpoint} (Token Status List, "Status
 * List Aggregation", issuer metadata). Public, cacheable, CORS like the other verifier routes.
 */
public final class IssuerMetadataHandler {
  public static final String PATH = "/.well-known/jwt-vc-issuer/issuers/{issuer}";

  private final String publicBaseUrl;
  private final boolean aggregation;
  private final PublicKeys keys;

  public IssuerMetadataHandler(String publicBaseUrl, boolean aggregation, PublicKeys keys) {
    this.publicBaseUrl = publicBaseUrl;
    this.aggregation = aggregation;
    this.keys = keys;
  }

  public void handle(Context ctx) {
    IssuerId issuer = IssuerId.of(ctx.pathParam("issuer"));
    ObjectNode out = Json.object();
    // The same derivations as the signer's, so that the metadata names what the tokens carry.
    out.put("issuer", RegistryListSigner.issuerUrl(publicBaseUrl, issuer));
    out.set("jwks", jwks(keys, issuer));
    if (aggregation) {
      out.put(
          "status_list_aggregation_endpoint",
          RegistryListSigner.aggregationUrl(publicBaseUrl, issuer));
    }
    publicAnswer(ctx, out);
  }

  /** {@code issuer}'s public keys as a JWK Set: its ring's published keys. */
  static JsonNode jwks(PublicKeys keys, IssuerId issuer) {
    try {
      return Json.MAPPER.readTree(keys.jwksJson(issuer));
    } catch (java.io.IOException e) {
      throw new ApiProblem(ProblemKind.INTERNAL, "the issuer's keys are unavailable");
    }
  }

  /** A public, cacheable JSON answer that any origin may read, as the other verifier routes. */
  static void publicAnswer(Context ctx, JsonNode out) {
    ctx.header("Access-Control-Allow-Origin", "*");
    ctx.header("Cache-Control", "public, max-age=300");
    Json.write(ctx, 200, out);
  }
}
