package io.statusreg.api.revocation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.auth.Principal;
import io.statusreg.api.http.IdempotencyKey;
import io.statusreg.api.http.Json;
import io.statusreg.api.http.JsonBody;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Issuer routes that change and read entries: parse, call the service, write. */
public final class RevocationHandlers {
  private static final Set<String> CHANGE_FIELDS = Set.of("status", "reason");
  private static final Set<String> BULK_CHANGE_FIELDS = Set.of("idx", "status", "reason");
  private static final Set<String> BULK_FIELDS = Set.of("changes");

  private final RevocationService service;
  private final long maxBodyBytes;
  private final int maxChanges;

  public RevocationHandlers(RevocationService service, long maxBodyBytes, int maxChanges) {
    this.service = service;
    this.maxBodyBytes = maxBodyBytes;
    this.maxChanges = maxChanges;
  }

  /** {@code PUT /issuers/{issuer}/lists/{list}/entries/{idx}}. */
  public void put(Context ctx, Principal principal) {
    ListId list = list(ctx, principal);
    long idx = index(ctx);
    JsonBody body = JsonBody.read(ctx, maxBodyBytes).onlyFields(CHANGE_FIELDS);
    RegistryCommand.Change change = change(idx, body);
    write(
        ctx,
        service.change(
            principal,
            list,
            List.of(change),
            IdempotencyKey.commandId(
                    ctx, principal.issuer(), list.name(), IdempotencyKey.Route.CHANGE_ENTRY)
                .id()));
  }

  /** {@code POST /issuers/{issuer}/lists/{list}/entries}: all or nothing. */
  public void bulk(Context ctx, Principal principal) {
    ListId list = list(ctx, principal);
    JsonBody body = JsonBody.read(ctx, maxBodyBytes).onlyFields(BULK_FIELDS);
    if (!body.has("changes")) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, "body.changes is required");
    }
    // The bulk limit (bulk.max.changes) is checked here, once, before the changes are read.
    int size = body.arraySize("changes");
    if (size < 1 || size > maxChanges) {
      throw new ApiProblem(
          ProblemKind.UNPROCESSABLE,
          "a request carries between 1 and " + maxChanges + " changes, got " + size);
    }
    List<RegistryCommand.Change> changes = new ArrayList<>();
    for (JsonBody c : body.objects("changes")) {
      c.onlyFields(BULK_CHANGE_FIELDS);
      changes.add(change(c.requiredLong("idx"), c));
    }
    write(
        ctx,
        service.change(
            principal,
            list,
            changes,
            IdempotencyKey.commandId(
                    ctx, principal.issuer(), list.name(), IdempotencyKey.Route.BULK_CHANGE)
                .id()));
  }

  /** {@code GET /issuers/{issuer}/lists/{list}/entries/{idx}}. */
  public void get(Context ctx, Principal principal) {
    ListId list = list(ctx, principal);
    long idx = index(ctx);
    EntryView view = service.entry(list, idx);
    ObjectNode out = Json.object();
    out.put("list", list.name());
    out.put("idx", view.idx());
    out.put("status", view.status().name());
    out.put("code", view.status().code());
    out.put("allocated", view.allocated());
    out.put("published", view.published());
    out.put("version", view.version());
    Json.write(ctx, 200, out);
  }

  private static RegistryCommand.Change change(long idx, JsonBody body) {
    String status = body.stringOrInteger("status");
    if (status == null) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, "status is required");
    }
    return new RegistryCommand.Change(
        idx, Status.parse(status), Reason.parse(body.string("reason", null)));
  }

  private static ListId list(Context ctx, Principal principal) {
    return new ListId(principal.issuer(), ctx.pathParam("list"));
  }

  private static long index(Context ctx) {
    String raw = ctx.pathParam("idx");
    // ASCII digits only: Character.isDigit would take Arabic-Indic and other Unicode digits.
    if (raw.isEmpty() || raw.length() > 18 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, "idx must be a non-negative integer");
    }
    return Long.parseLong(raw);
  }

  private static void write(Context ctx, RevocationService.Changed changed) {
    ObjectNode out = Json.object();
    ArrayNode ids = out.putArray("event_ids");
    for (EventId id : changed.eventIds()) {
      ids.add(id.toString());
    }
    if (changed.expectedPublication() != null) {
      out.put("expected_publication", changed.expectedPublication().toString());
    }
    Json.write(ctx, 202, out);
  }
}
