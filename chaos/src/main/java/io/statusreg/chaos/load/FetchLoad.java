package io.statusreg.chaos.load;

import io.statusreg.chaos.cluster.RegistryInstance;
import io.statusreg.chaos.cluster.ServiceRouter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifiers: at a steady rate, fetch a random list's token from a random ready instance (through
 * the {@link ServiceRouter}), recording each fetch's latency and outcome in the current phase. A
 * fetch fails when no instance is ready, the connection fails or times out, or the answer is not
 * 200 with a body.
 */
public final class FetchLoad implements AutoCloseable {
  private static final int MAX_IN_FLIGHT = 64;

  private final ServiceRouter router;
  private final RegistryClient client;
  private final List<ListRef> lists;
  private final Phases phases;
  private final VersionTracker versions;
  private final double ratePerSecond;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean stopped;
  private Thread dispatcher;

  public FetchLoad(
      ServiceRouter router,
      RegistryClient client,
      List<ListRef> lists,
      Phases phases,
      VersionTracker versions,
      double ratePerSecond) {
    this.router = router;
    this.client = client;
    this.lists = List.copyOf(lists);
    this.phases = phases;
    this.versions = versions;
    this.ratePerSecond = ratePerSecond;
  }

  public FetchLoad start() {
    dispatcher = Thread.ofPlatform().daemon().name("fetch-load").start(this::dispatch);
    return this;
  }

  private void dispatch() {
    long periodNanos = (long) (1e9 / ratePerSecond);
    long next = System.nanoTime();
    while (!stopped) {
      next += periodNanos;
      if (inFlight.get() >= MAX_IN_FLIGHT) {
        skipped.incrementAndGet();
      } else {
        inFlight.incrementAndGet();
        Thread.ofVirtual().start(this::fetchOnce);
      }
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      } else if (sleep < -1_000_000_000L) {
        next = System.nanoTime(); // fell behind by more than a second: do not burst
      }
    }
  }

  private void fetchOnce() {
    Phases.Phase phase = phases.current();
    try {
      Optional<RegistryInstance> target = router.pick();
      if (target.isEmpty()) {
        phases.fetch(phase, false, 0, "no ready instance");
        return;
      }
      ListRef list = lists.get(ThreadLocalRandom.current().nextInt(lists.size()));
      long begin = System.nanoTime();
      Instant sentAt = Instant.now();
      try {
        RegistryClient.Response r = client.fetchToken(target.get(), list);
        long micros = (System.nanoTime() - begin) / 1_000;
        if (r.status() == 200 && r.body().length > 0) {
          phases.fetch(phase, true, micros, null);
          versions.observe(target.get().name(), list, r.etag(), sentAt, Instant.now());
        } else {
          phases.fetch(phase, false, micros, "HTTP " + r.status() + " from " + target.get().name());
        }
      } catch (HttpTimeoutException e) {
        phases.fetch(phase, false, 0, "timeout at " + target.get().name());
      } catch (ConnectException e) {
        phases.fetch(phase, false, 0, refusedAt(target.get().name()));
      } catch (IOException e) {
        phases.fetch(phase, false, 0, e.getClass().getSimpleName() + " at " + target.get().name());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Fetches the dispatcher could not start because {@value #MAX_IN_FLIGHT} were in flight. */
  public long skipped() {
    return skipped.get();
  }

  /** Stops dispatching and waits (bounded) for the fetches in flight. */
  @Override
  public void close() {
    stopped = true;
    if (dispatcher != null) {
      dispatcher.interrupt();
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The failure reason of a fetch whose connection {@code instance} refused. */
  static String refusedAt(String instance) {
    return "connect refused at " + instance;
  }
}
