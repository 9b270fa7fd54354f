package io.statusreg.chaos.load;

import io.statusreg.chaos.cluster.RegistryInstance;
import io.statusreg.chaos.cluster.ServiceRouter;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates the lists the load works on (2 bits per entry, so that SUSPENDED fits) and allocates
 * their first indexes, each request retried with its idempotency key until it succeeds.
 */
public final class LoadSetup {
  private final ServiceRouter router;
  private final RegistryClient client;
  private final Duration deadline;

  public LoadSetup(ServiceRouter router, RegistryClient client, Duration deadline) {
    this.router = router;
    this.client = client;
    this.deadline = deadline;
  }

  public List<ListRef> createLists(
      List<String> issuers, int listsPerIssuer, long size, int entries, Ledger ledger) {
    List<ListRef> lists = new ArrayList<>();
    for (String issuer : issuers) {
      for (int i = 0; i < listsPerIssuer; i++) {
        UUID key = UUID.randomUUID();
        RegistryClient.Response created =
            retry(
                "creating a list of " + issuer, at -> client.createList(at, issuer, 2, size, key));
        ListRef list = new ListRef(issuer, created.json().path("id").asText());
        UUID allocKey = UUID.randomUUID();
        RegistryClient.Response allocated =
            retry(
                "allocating indexes on " + list,
                at -> client.allocate(at, list, entries, allocKey));
        ledger.allocated(list, RegistryClient.indexes(allocated));
        lists.add(list);
      }
    }
    return lists;
  }

  @FunctionalInterface
  interface Call {
    RegistryClient.Response send(RegistryInstance at) throws IOException, InterruptedException;
  }

  private RegistryClient.Response retry(String what, Call call) {
    long end = System.nanoTime() + deadline.toNanos();
    String last = "no ready instance";
    while (System.nanoTime() < end) {
      Optional<RegistryInstance> at = router.pick();
      if (at.isPresent()) {
        try {
          RegistryClient.Response r = call.send(at.get());
          if (r.ok()) {
            return r;
          }
          last = r.abbreviated();
          if (!r.retryable()) {
            throw new IllegalStateException(what + " was refused: " + last);
          }
        } catch (IOException e) {
          last = e.toString();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while " + what, e);
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + what, e);
      }
    }
    throw new IllegalStateException(what + " did not succeed within " + deadline + ": " + last);
  }
}
