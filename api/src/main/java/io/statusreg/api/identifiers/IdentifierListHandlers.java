package io.statusreg.api.identifiers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.auth.Principal;
import io.statusreg.api.http.IdempotencyKey;
import io.statusreg.api.http.Json;
import io.statusreg.api.http.JsonBody;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.identifiers.IdentifierListToken;
import io.statusreg.registry.identifiers.MsoEntry;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Issuer routes of ISO/IEC 18013-5 identifier lists. Byte strings travel as unpadded base64url in
 * JSON; each issued identifier also comes with its MSO {@code status} entry, both as JSON (the
 * {@code id} in base64url) and as the exact CBOR bytes to embed (base64url of the CBOR). {@code
 * certificate} joins the entry when a separate list signer signs the lists.
 */
public final class IdentifierListHandlers {
  private static final Set<String> LIST_FIELDS = Set.of("size", "ttl", "validity");
  private static final Set<String> ISSUE_FIELDS = Set.of("count");
  private static final Set<String> REVOKE_FIELDS = Set.of("identifiers", "reason");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final IdentifierListService service;
  private final PublicKeys keys;
  private final long maxBodyBytes;

  public IdentifierListHandlers(IdentifierListService service, PublicKeys keys, long maxBodyBytes) {
    this.service = service;
    this.keys = keys;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** {@code POST /issuers/{issuer}/identifier-lists}. */
  public void create(Context ctx, Principal principal) {
    JsonBody body = JsonBody.read(ctx, maxBodyBytes).onlyFields(LIST_FIELDS);
    refuseUnusableKey(principal);
    IdentifierListService.Created created =
        service.create(
            principal,
            new IdentifierListService.Spec(
                body.has("size") ? body.longValue("size", 0) : null,
                body.has("ttl") ? body.longValue("ttl", 0) : null,
                body.has("validity") ? body.longValue("validity", 0) : null),
            IdempotencyKey.commandId(
                ctx, principal.issuer(), "", IdempotencyKey.Route.CREATE_IDENTIFIER_LIST));
    ObjectNode out = Json.object();
    out.put("id", created.list().name());
    out.put("kind", "identifier_list");
    out.put("uri", created.uri());
    out.put("media_type", IdentifierListToken.MEDIA_TYPE);
    out.put("size", created.size());
    out.put("ttl", created.ttl().toSeconds());
    out.put("validity", created.validity().toSeconds());
    ctx.header("Location", created.uri());
    Json.write(ctx, 201, out);
  }

  /** {@code POST /issuers/{issuer}/identifier-lists/{list}/identifiers}. */
  public void issue(Context ctx, Principal principal) {
    ListId list = new ListId(principal.issuer(), ctx.pathParam("list"));
    int count = count(ctx);
    write(
        ctx,
        principal,
        service.issue(
            principal,
            list,
            count,
            IdempotencyKey.commandId(
                    ctx, principal.issuer(), list.name(), IdempotencyKey.Route.ISSUE_IDENTIFIERS)
                .id()));
  }

  /**
   * {@code POST /issuers/{issuer}/identifiers}: from the issuer's current identifier list, a new
   * one being created when it is full.
   */
  public void issueAny(Context ctx, Principal principal) {
    int count = count(ctx);
    refuseUnusableKey(principal);
    write(
        ctx,
        principal,
        service.issue(
            principal,
            count,
            IdempotencyKey.commandId(
                ctx, principal.issuer(), "", IdempotencyKey.Route.ISSUE_ANY_IDENTIFIERS)));
  }

  /**
   * Refuses (422) to create an identifier list, or to hand out identifiers through the issuer-level
   * route (which opens lists), for an issuer whose active signing key cannot sign identifier lists
   * (RSA): every publication of the list would fail. Routes on an existing list are left alone, so
   * that revocations are still recorded.
   */
  private void refuseUnusableKey(Principal principal) {
    keys.signingAlgorithm(principal.issuer())
        .filter(alg -> !IdentifierListToken.signsWith(alg))
        .ifPresent(
            alg -> {
              throw new ApiProblem(
                  ProblemKind.UNPROCESSABLE,
                  "issuer '"
                      + principal.issuer().value()
                      + "' signs with a "
                      + alg.jose()
                      + " key; identifier lists (ISO/IEC 18013-5) are signed with "
                      + IdentifierListToken.ALGORITHMS
                      + " only: give the issuer such a key to create one");
            });
  }

  private int count(Context ctx) {
    return JsonBody.read(ctx, maxBodyBytes).onlyFields(ISSUE_FIELDS).intValue("count", 1);
  }

  /**
   * The identifiers with their MSO entries. {@code certificate} (the DER of the list signer's
   * certificate, base64url in JSON, a bstr in {@code status_cbor}) is there only when a separate
   * list signer signs the issuer's lists ({@link PublicKeys#listSignerCertificate}).
   */
  private void write(Context ctx, Principal principal, IdentifierListService.Issued issued) {
    byte[] certificate = keys.listSignerCertificate(principal.issuer()).orElse(null);
    ObjectNode out = Json.object();
    out.put("uri", issued.uri());
    out.put("list", issued.list().name());
    out.put("encoding", "base64url");
    ArrayNode ids = out.putArray("identifiers");
    for (byte[] id : issued.identifiers()) {
      ObjectNode entry = ids.addObject();
      entry.put("id", B64.encodeToString(id));
      ObjectNode status = entry.putObject("status").putObject("identifier_list");
      status.put("id", B64.encodeToString(id));
      status.put("uri", issued.uri());
      if (certificate != null) {
        status.put("certificate", B64.encodeToString(certificate));
      }
      entry.put(
          "status_cbor",
          B64.encodeToString(MsoEntry.identifierList(id, issued.uri(), certificate)));
    }
    if (issued.publication() != null) {
      out.put("expected_publication", issued.publication().toString());
    }
    Json.write(ctx, 201, out);
  }

  /** {@code POST /issuers/{issuer}/identifier-lists/{list}/revocations}. */
  public void revoke(Context ctx, Principal principal) {
    ListId list = new ListId(principal.issuer(), ctx.pathParam("list"));
    JsonBody body = JsonBody.read(ctx, maxBodyBytes).onlyFields(REVOKE_FIELDS);
    List<String> identifiers = body.strings("identifiers");
    Reason reason = Reason.parse(body.string("reason", null));
    IdentifierListService.Revoked revoked =
        service.revoke(
            principal,
            list,
            identifiers,
            reason,
            IdempotencyKey.commandId(
                    ctx, principal.issuer(), list.name(), IdempotencyKey.Route.REVOKE_IDENTIFIERS)
                .id());
    ObjectNode out = Json.object();
    out.put("list", list.name());
    out.put("status", "revoked");
    out.put("newly_revoked", revoked.newlyRevoked());
    if (revoked.expectedPublication() != null) {
      out.put("expected_publication", revoked.expectedPublication().toString());
    }
    Json.write(ctx, 200, out);
  }
}
