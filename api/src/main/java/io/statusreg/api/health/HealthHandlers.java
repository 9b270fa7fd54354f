package io.statusreg.api.health;

import io.javalin.http.Context;
import io.statusreg.api.http.Json;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Liveness (the process and its Streams runtime have not failed) and readiness (it can serve
 * tokens: its token directory has caught up). Readiness is deliberately not tied to Kafka Streams
 * being RUNNING, so a rebalance never takes every instance out of service at once.
 */
public final class HealthHandlers {
  private final BooleanSupplier ready;
  private final BooleanSupplier alive;

  public HealthHandlers(BooleanSupplier ready, BooleanSupplier alive) {
    this.ready = ready;
    this.alive = alive;
  }

  public void live(Context ctx) {
    check(ctx, alive, "the registry runtime has failed");
  }

  public void ready(Context ctx) {
    check(ctx, ready, "the token directory has not caught up yet");
  }

  private static void check(Context ctx, BooleanSupplier probe, String whyNot) {
    ctx.header("Cache-Control", "no-store");
    if (probe.getAsBoolean()) {
      Json.write(ctx, 200, Json.object().put("status", "UP"));
    } else {
      Problems.write(ctx, ProblemKind.UNAVAILABLE, whyNot, Map.of("Retry-After", "1"));
    }
  }
}
