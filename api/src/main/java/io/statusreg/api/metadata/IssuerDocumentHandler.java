package io.statusreg.api.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.http.Json;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.registry.IssuerId;
import io.statusreg.streams.publication.RegistryListSigner;

/**
 * {@code GET /issuers/{issuer}}: what the issuer URL that the W3C credential names as {@code
 * issuer} (and the VC-JWT header as {@code iss}) dereferences to, a controller document (W3C
 * Controlled Identifiers v1.0) whose {@code id} is that URL and whose verification methods are the
 * issuer's public keys ({@code JsonWebKey}, {@code id} = the issuer URL + {@code #} + the key's
 * {@code kid}), each an {@code assertionMethod}: the keys the issuer's status list credentials are
 * signed with. The same keys as the issuer metadata ({@link IssuerMetadataHandler}) and the JWKS.
 * Public, cacheable, CORS like the other verifier routes; {@code application/cid} when the request
 * accepts it, else {@code application/json}.
 */
public final class IssuerDocumentHandler {
  public static final String PATH = "/issuers/{issuer}";
  static final String MEDIA_TYPE = "application/cid";

  private final String publicBaseUrl;
  private final PublicKeys keys;

  public IssuerDocumentHandler(String publicBaseUrl, PublicKeys keys) {
    this.publicBaseUrl = publicBaseUrl;
    this.keys = keys;
  }

  public void handle(Context ctx) {
    IssuerId issuer = IssuerId.of(ctx.pathParam("issuer"));
    String id = RegistryListSigner.issuerUrl(publicBaseUrl, issuer);
    JsonNode jwks = IssuerMetadataHandler.jwks(keys, issuer);
    ObjectNode out = Json.object();
    out.put("@context", "https://www.w3.org/ns/cid/v1");
    out.put("id", id);
    ArrayNode methods = out.putArray("verificationMethod");
    ArrayNode assertion = out.putArray("assertionMethod");
    for (JsonNode key : jwks.path("keys")) {
      String method = id + "#" + key.path("kid").asText();
      ObjectNode vm = methods.addObject();
      vm.put("id", method);
      vm.put("type", "JsonWebKey");
      vm.put("controller", id);
      vm.set("publicKeyJwk", key);
      assertion.add(method);
    }
    IssuerMetadataHandler.publicAnswer(ctx, out);
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains(MEDIA_TYPE)) {
      ctx.res().setContentType(MEDIA_TYPE);
      ctx.res().setCharacterEncoding(null);
    }
  }
}
