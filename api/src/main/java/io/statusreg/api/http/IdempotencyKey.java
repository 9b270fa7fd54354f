package io.statusreg.api.http;

import io.javalin.http.Context;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The {@code Idempotency-Key} header (a UUID) as the command id, so retries are safe. */
public final class IdempotencyKey {
  public static final String HEADER = "Idempotency-Key";

  private IdempotencyKey() {}

  /** The key, or a fresh random id when the header is absent. */
  public static UUID commandId(Context ctx) {
    String raw = ctx.header(HEADER);
    if (raw == null) {
      return UUID.randomUUID();
    }
    try {
      if (raw.length() != 36) {
        throw new IllegalArgumentException();
      }
      return UUID.fromString(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, HEADER + " must be a UUID");
    }
  }

  /** A command id derived from another one for a sub-step (e.g. one candidate list). */
  public static UUID derive(UUID base, String step) {
    return UUID.nameUUIDFromBytes((base + "/" + step).getBytes(StandardCharsets.UTF_8));
  }
}
