package io.statusreg.api.http;

import io.statusreg.api.problems.Problems;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.gateway.CommandGateway;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls the command gateway with a bound on every wait. A timeout or an unreachable Kafka becomes a
 * 503 problem; the caller retries with the same Idempotency-Key.
 */
public final class Commands {
  private final CommandGateway gateway;
  private final Duration timeout;

  public Commands(CommandGateway gateway, Duration timeout) {
    this.gateway = gateway;
    this.timeout = timeout;
  }

  public CommandGateway.Outcome submit(RegistryCommand command) {
    return await(() -> gateway.submit(command));
  }

  public Optional<CommandGateway.EntryView> entry(ListId list, long idx) {
    return await(() -> gateway.entry(list, idx));
  }

  /** Calls the gateway (a synchronous throw counts as unreachable too) and waits, bounded. */
  private <T> T await(Supplier<? extends Future<T>> call) {
    try {
      return call.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Problems.unavailable(e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw Problems.unavailable(e);
    }
  }
}
