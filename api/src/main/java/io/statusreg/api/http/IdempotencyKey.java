package io.statusreg.api.http;

import io.javalin.http.Context;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.registry.IssuerId;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The {@code Idempotency-Key} header (a UUID), scoped to what it was sent for: the command id is
 * derived from (issuer, list or issuer-level route, kind of request, key), so one key sent for two
 * lists, two kinds of request or by two issuers names two different commands and can never fetch
 * the other's reply. Within one scope the list's owner compares the request with the one the key
 * first came with: the same request gets the same reply, another one the problem {@code
 * idempotency-key-reused} (422) and nothing is applied.
 */
public final class IdempotencyKey {
  public static final String HEADER = "Idempotency-Key";

  private static final String DOMAIN = "statusreg-idempotency/1";

  private IdempotencyKey() {}

  /** The kinds of request a key is scoped to (one per issuer route that writes). */
  public enum Route {
    CREATE_LIST,
    ALLOCATE_ANY,
    ALLOCATE_ON_LIST,
    CHANGE_ENTRY,
    BULK_CHANGE,
    RETIRE_LIST,
    CREATE_IDENTIFIER_LIST,
    ISSUE_IDENTIFIERS,
    ISSUE_ANY_IDENTIFIERS,
    REVOKE_IDENTIFIERS
  }

  /** A command id, and whether the caller chose it (sent a key) or the server drew it. */
  public record CommandId(UUID id, boolean fromKey) {
    /** The id of a sub-step (e.g. one candidate list), chosen by the caller when this one is. */
    public CommandId derive(String step) {
      return new CommandId(IdempotencyKey.derive(id, step), fromKey);
    }
  }

  /**
   * The command id for a request to {@code route} of {@code issuer} on {@code list} (empty for an
   * issuer-level route): derived from the key when the header is present, random otherwise.
   */
  public static CommandId commandId(Context ctx, IssuerId issuer, String list, Route route) {
    return commandId(ctx.header(HEADER), issuer, list, route);
  }

  /** As {@link #commandId(Context, IssuerId, String, Route)}, from the header's raw value. */
  public static CommandId commandId(String raw, IssuerId issuer, String list, Route route) {
    if (raw == null) {
      return new CommandId(UUID.randomUUID(), false);
    }
    UUID key;
    try {
      if (raw.length() != 36) {
        throw new IllegalArgumentException();
      }
      key = UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, HEADER + " must be a UUID");
    }
    String scope = DOMAIN + "\n" + issuer.value() + "\n" + list + "\n" + route.name() + "\n" + key;
    return new CommandId(UUID.nameUUIDFromBytes(scope.getBytes(StandardCharsets.UTF_8)), true);
  }

  /** A command id derived from another one for a sub-step (e.g. one candidate list). */
  public static UUID derive(UUID base, String step) {
    return UUID.nameUUIDFromBytes((base + "/" + step).getBytes(StandardCharsets.UTF_8));
  }
}
