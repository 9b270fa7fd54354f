package io.statusreg.api.http;

import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
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
 * 503 problem (the caller retries with the same Idempotency-Key); a request the list's owner
 * refused ({@link CommandGateway.Refused}) is the caller's to fix and becomes a 422, never a 503.
 *
 * <p>There is one timeout for one wait: the gateway completes every future within {@code
 * command.timeout.ms}; the bound here is that same setting plus a grace, a guard against a gateway
 * that fails to, not a second timeout.
 */
public final class Commands {
  private final CommandGateway gateway;
  private final Duration timeout;

  /** Grace beyond the gateway's own timeout before this side gives up waiting. */
  static final Duration GRACE = Duration.ofSeconds(1);

  public Commands(CommandGateway gateway, Duration commandTimeout) {
    this.gateway = gateway;
    this.timeout = commandTimeout.plus(GRACE);
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
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CommandGateway.Refused refused) {
        throw new ApiProblem(ProblemKind.UNPROCESSABLE, refused.getMessage());
      }
      if (e.getCause() instanceof CommandGateway.OwnerFault) {
        throw new ApiProblem(ProblemKind.INTERNAL, null);
      }
      throw Problems.unavailable(e);
    } catch (TimeoutException | RuntimeException e) {
      throw Problems.unavailable(e);
    }
  }
}
