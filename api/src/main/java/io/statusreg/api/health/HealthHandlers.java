package io.statusreg.api.health;

import io.javalin.http.Context;
import io.statusreg.api.http.Json;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import io.statusreg.streams.TokenDirectory;
import java.util.Map;

/**
 * Liveness (the process answers) and readiness (it can serve tokens: its token directory has caught
 * up). Readiness is deliberately not tied to Kafka Streams being RUNNING, so a rebalance never
 * takes every instance out of service at once.
 */
public final class HealthHandlers {
  private final TokenDirectory directory;

  public HealthHandlers(TokenDirectory directory) {
    this.directory = directory;
  }

  public void live(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    Json.write(ctx, 200, Json.object().put("status", "UP"));
  }

  public void ready(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    if (directory.isCaughtUp()) {
      Json.write(ctx, 200, Json.object().put("status", "UP"));
    } else {
      Problems.write(
          ctx,
          ProblemKind.UNAVAILABLE,
          "the token directory has not caught up yet",
          Map.of("Retry-After", "1"));
    }
  }
}
