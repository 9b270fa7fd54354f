package io.statusreg.chaos.load;

import io.statusreg.chaos.cluster.RegistryInstance;
import io.statusreg.chaos.cluster.ServiceRouter;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issuers: at a steady rate, suspend, reinstate or revoke a random entry through a random ready
 * instance. A change that gets no answer, or a 5xx, is retried with the same {@code
 * Idempotency-Key} on any ready instance until it is acknowledged or its deadline passes; every
 * acknowledged change goes to the {@link Ledger}. When a list runs low on changeable entries, more
 * indexes are allocated.
 */
public final class WriteLoad implements AutoCloseable {
  private static final int MAX_IN_FLIGHT = 64;
  private static final double REVOKE_SHARE = 0.1;
  private static final double TOP_UP_BELOW = 0.3;

  private final ServiceRouter router;
  private final RegistryClient client;
  private final List<ListRef> lists;
  private final Ledger ledger;
  private final Phases phases;
  private final VersionTracker versions;
  private final double ratePerSecond;
  private final Duration changeDeadline;
  private final int topUpCount;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong starved = new AtomicLong();
  private final AtomicLong topUps = new AtomicLong();
  private volatile boolean stopped;
  private volatile boolean toppingUp;
  private Thread dispatcher;

  public WriteLoad(
      ServiceRouter router,
      RegistryClient client,
      List<ListRef> lists,
      Ledger ledger,
      Phases phases,
      VersionTracker versions,
      double ratePerSecond,
      Duration changeDeadline,
      int topUpCount) {
    this.router = router;
    this.client = client;
    this.lists = List.copyOf(lists);
    this.ledger = ledger;
    this.phases = phases;
    this.versions = versions;
    this.ratePerSecond = ratePerSecond;
    this.changeDeadline = changeDeadline;
    this.topUpCount = topUpCount;
  }

  public WriteLoad start() {
    dispatcher = Thread.ofPlatform().daemon().name("write-load").start(this::dispatch);
    return this;
  }

  private void dispatch() {
    long periodNanos = (long) (1e9 / ratePerSecond);
    long next = System.nanoTime();
    long ticks = 0;
    while (!stopped) {
      next += periodNanos;
      if (++ticks % Math.max(1, (long) ratePerSecond) == 0) {
        maybeTopUp();
      }
      if (inFlight.get() >= MAX_IN_FLIGHT) {
        starved.incrementAndGet();
      } else {
        Optional<Ledger.Planned> planned = ledger.plan(REVOKE_SHARE);
        if (planned.isEmpty()) {
          starved.incrementAndGet();
        } else {
          inFlight.incrementAndGet();
          Thread.ofVirtual().start(() -> change(planned.get()));
        }
      }
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      } else if (sleep < -1_000_000_000L) {
        next = System.nanoTime();
      }
    }
  }

  private void change(Ledger.Planned p) {
    try {
      UUID key = UUID.randomUUID();
      Phases.Phase phase = phases.current();
      Instant first = Instant.now();
      versions.submitted(p.entry().list(), first);
      long begin = System.nanoTime();
      long deadline = begin + changeDeadline.toNanos();
      int attempts = 0;
      String last = "not sent";
      while (System.nanoTime() < deadline) {
        Optional<RegistryInstance> target = router.pick();
        if (target.isEmpty()) {
          last = "no ready instance";
          pause(100);
          continue;
        }
        attempts++;
        try {
          RegistryClient.Response r =
              client.changeStatus(
                  target.get(), p.entry().list(), p.entry().idx(), p.to().name(), key);
          if (r.ok()) {
            phases.writeAcked(phase, (System.nanoTime() - begin) / 1_000);
            ledger.acknowledged(
                p,
                new Ledger.Change(
                    p.entry().list(),
                    p.entry().idx(),
                    p.to(),
                    RegistryClient.eventIds(r),
                    first,
                    Instant.now(),
                    target.get().name(),
                    attempts));
            return;
          }
          last = "HTTP " + r.status();
          if (!r.retryable()) {
            ledger.unacknowledged(
                p,
                new Ledger.Unacknowledged(
                    p.entry().list(),
                    p.entry().idx(),
                    p.to(),
                    "refused: " + r.abbreviated(),
                    Instant.now(),
                    attempts));
            return;
          }
          phases.writeAttemptFailed(phases.current(), last);
        } catch (HttpTimeoutException e) {
          last = "timeout";
          phases.writeAttemptFailed(phases.current(), last);
        } catch (IOException e) {
          last = e.getClass().getSimpleName();
          phases.writeAttemptFailed(phases.current(), last);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          last = "interrupted";
          break;
        }
        pause(200);
      }
      ledger.unacknowledged(
          p,
          new Ledger.Unacknowledged(
              p.entry().list(),
              p.entry().idx(),
              p.to(),
              "no acknowledgement within " + changeDeadline + " (last: " + last + ")",
              Instant.now(),
              attempts));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void maybeTopUp() {
    if (toppingUp) {
      return;
    }
    for (ListRef list : lists) {
      if (ledger.changeableShare(list) < TOP_UP_BELOW) {
        toppingUp = true;
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    allocate(list);
                  } finally {
                    toppingUp = false;
                  }
                });
        return;
      }
    }
  }

  private void allocate(ListRef list) {
    UUID key = UUID.randomUUID();
    long deadline = System.nanoTime() + changeDeadline.toNanos();
    while (!stopped && System.nanoTime() < deadline) {
      Optional<RegistryInstance> target = router.pick();
      if (target.isPresent()) {
        try {
          RegistryClient.Response r = client.allocate(target.get(), list, topUpCount, key);
          if (r.ok()) {
            ledger.allocated(list, RegistryClient.indexes(r));
            topUps.incrementAndGet();
            return;
          }
          if (!r.retryable()) {
            return;
          }
        } catch (IOException e) {
          // retry with the same key
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      pause(200);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ticks with nothing sent: no changeable entry, or too many changes in flight. */
  public long starved() {
    return starved.get();
  }

  public long topUps() {
    return topUps.get();
  }

  /**
   * Stops starting changes and waits for those in flight to be acknowledged or given up (each is
   * bounded by its deadline).
   */
  @Override
  public void close() {
    stopped = true;
    if (dispatcher != null) {
      dispatcher.interrupt();
    }
    long deadline = System.nanoTime() + changeDeadline.toNanos() + 5_000_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      pause(50);
    }
  }
}
