package io.statusreg.api.issuance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.auth.Principal;
import io.statusreg.api.http.IdempotencyKey;
import io.statusreg.api.http.Json;
import io.statusreg.api.http.JsonBody;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.identifiers.MsoEntry;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Issuer routes that create lists and allocate indexes: parse, call the service, write. */
public final class IssuanceHandlers {
  private static final Set<String> LIST_FIELDS =
      Set.of("bits", "size", "ttl", "validity", "purpose");
  private static final Set<String> ALLOCATION_FIELDS = Set.of("count");

  private static final java.util.Base64.Encoder B64 =
      java.util.Base64.getUrlEncoder().withoutPadding();

  private final IssuanceService service;
  private final PublicKeys keys;
  private final long maxBodyBytes;

  public IssuanceHandlers(IssuanceService service, PublicKeys keys, long maxBodyBytes) {
    this.service = service;
    this.keys = keys;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** {@code POST /issuers/{issuer}/lists}. */
  public void createList(Context ctx, Principal principal) {
    JsonBody body = JsonBody.read(ctx, maxBodyBytes).onlyFields(LIST_FIELDS);
    String purpose = body.string("purpose", null);
    IssuanceService.ListSpec spec =
        new IssuanceService.ListSpec(
            body.has("bits") ? body.intValue("bits", 0) : null,
            body.has("size") ? body.longValue("size", 0) : null,
            body.has("ttl") ? body.longValue("ttl", 0) : null,
            body.has("validity") ? body.longValue("validity", 0) : null,
            purpose == null ? null : Purpose.parse(purpose));
    IssuanceService.CreatedList created =
        service.createList(
            principal,
            spec,
            IdempotencyKey.commandId(
                ctx, principal.issuer(), "", IdempotencyKey.Route.CREATE_LIST));
    ObjectNode out = Json.object();
    out.put("id", created.list().name());
    out.put("uri", created.uri());
    out.put("bits", created.bits());
    out.put("size", created.size());
    out.put("ttl", created.ttl().toSeconds());
    out.put("validity", created.validity().toSeconds());
    out.put("purpose", created.purpose().code());
    ctx.header("Location", created.uri());
    Json.write(ctx, 201, out);
  }

  /** {@code POST /issuers/{issuer}/allocations}: on any list of the issuer with room. */
  public void allocateAny(Context ctx, Principal principal) {
    int count = count(ctx);
    write(
        ctx,
        service.allocate(
            principal,
            count,
            IdempotencyKey.commandId(
                ctx, principal.issuer(), "", IdempotencyKey.Route.ALLOCATE_ANY)));
  }

  /** {@code POST /issuers/{issuer}/lists/{list}/allocations}. */
  public void allocateOnList(Context ctx, Principal principal) {
    ListId list = new ListId(principal.issuer(), ctx.pathParam("list"));
    int count = count(ctx);
    write(
        ctx,
        service.allocate(
            principal,
            list,
            count,
            IdempotencyKey.commandId(
                ctx, principal.issuer(), list.name(), IdempotencyKey.Route.ALLOCATE_ON_LIST)));
  }

  /**
   * {@code POST /issuers/{issuer}/lists/{list}/retire} (no body, or an empty JSON object): the list
   * takes no more allocations; its entries can still be changed and it is still published. Retiring
   * a retired list changes nothing and answers the same.
   */
  public void retire(Context ctx, Principal principal) {
    ListId list = new ListId(principal.issuer(), ctx.pathParam("list"));
    JsonBody.read(ctx, maxBodyBytes).onlyFields(Set.of());
    Outcome outcome =
        service.retire(
            principal,
            list,
            IdempotencyKey.commandId(
                ctx, principal.issuer(), list.name(), IdempotencyKey.Route.RETIRE_LIST));
    ObjectNode out = Json.object();
    out.put("id", list.name());
    out.put("retired", true);
    out.put("expected_publication", outcome.expectedPublication().toString());
    Json.write(ctx, 200, out);
  }

  private int count(Context ctx) {
    return JsonBody.read(ctx, maxBodyBytes).onlyFields(ALLOCATION_FIELDS).intValue("count", 1);
  }

  /**
   * The allocation: indexes, their IETF {@code status} claims, their W3C entries and, for a 1-bit
   * list, their ISO/IEC 18013-5 MSO entries ({@code status_cbor}: {@code {"status_list": {"idx",
   * "uri", ? "certificate"}}} as CBOR, base64url), with {@code certificate} (base64url DER) when a
   * separate list signer signs the issuer's lists ({@link PublicKeys#listSignerCertificate}). The
   * IETF claims carry no certificate: a JWT or CWT verifier finds the signer in the list token's
   * header.
   */
  private void write(Context ctx, IssuanceService.Allocation allocation) {
    byte[] certificate = keys.listSignerCertificate(allocation.list().issuer()).orElse(null);
    ObjectNode out = Json.object();
    out.put("uri", allocation.uri());
    out.put("list", allocation.list().name());
    ArrayNode indexes = out.putArray("indexes");
    ArrayNode claims = out.putArray("claims");
    for (long idx : allocation.indexes()) {
      indexes.add(idx);
      ObjectNode statusList = claims.addObject().putObject("status").putObject("status_list");
      statusList.put("idx", idx);
      statusList.put("uri", allocation.uri());
    }
    if (allocation.w3c() != null) {
      // One statusMessage array for every entry of the answer (up to 256 messages for 8 bits):
      // converted once rather than once per index.
      JsonNode messages =
          allocation.w3c().isMessage()
              ? Json.MAPPER.valueToTree(allocation.w3c().statusMessages())
              : null;
      // W3C Bitstring Status List: the credentialStatus of each index, statusSize and
      // statusMessage included where the list's form has them (W3cForm).
      ArrayNode entries = out.putArray("credential_status");
      for (long idx : allocation.indexes()) {
        entries.add(w3cEntry(allocation.w3c().entry(allocation.uri(), idx), messages));
      }
    }
    if (allocation.bits() == 1) {
      // ISO/IEC 18013-5 reads status lists of 1 bit only: no MSO entry for wider lists.
      ArrayNode mso = out.putArray("status_cbor");
      for (long idx : allocation.indexes()) {
        mso.add(B64.encodeToString(MsoEntry.statusList(idx, allocation.uri(), certificate)));
      }
      if (certificate != null) {
        out.put("certificate", B64.encodeToString(certificate));
      }
    }
    if (allocation.expectedPublication() != null) {
      out.put("expected_publication", allocation.expectedPublication().toString());
    }
    Json.write(ctx, 201, out);
  }

  /** A W3C entry as JSON, its {@code statusMessage} the answer's one converted array. */
  private static ObjectNode w3cEntry(Map<String, Object> entry, JsonNode messages) {
    ObjectNode node = Json.object();
    entry.forEach(
        (key, value) -> {
          switch (value) {
            case String text -> node.put(key, text);
            case Integer number -> node.put(key, number);
            case List<?> _ when messages != null && "statusMessage".equals(key) ->
                node.set(key, messages);
            default -> node.set(key, Json.MAPPER.valueToTree(value));
          }
        });
    return node;
  }
}
