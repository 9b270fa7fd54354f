package io.statusreg.bench.freshness;

import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.stats.Samples;
import io.statusreg.registry.lists.StatusList;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes revocations at a steady rate and polls the list's token until each shows up: for every
 * change, the time from its acknowledgement (the 202 arriving) to the first fetch that shows it.
 * One writer paces PUTs (open loop: a slow answer does not delay the next send beyond its slot, up
 * to a few in flight); one poller fetches with If-None-Match every few milliseconds and decodes
 * each new token. Bounded in time.
 */
public final class FreshnessProbe {
  /** One change's timeline, in nanoseconds of System.nanoTime. */
  record Change(long idx, long sentNanos, long ackNanos) {}

  /** What a run measured. Latencies in milliseconds. */
  public record Outcome(
      Samples ackToVisibleMs,
      Samples sendToAckMs,
      long changes,
      long neverSeen,
      long failed,
      long tokensSeen,
      long polls,
      List<double[]> timeline) {}

  private FreshnessProbe() {}

  public static Outcome run(
      RegistryClient client,
      String list,
      long[] indexes,
      double perSecond,
      Duration duration,
      Duration settle,
      Duration pollEvery)
      throws InterruptedException {
    Map<Long, Change> acked = new ConcurrentHashMap<>();
    Map<Long, Long> seenAt = new ConcurrentHashMap<>();
    Samples ackToVisible = new Samples(100_000);
    Samples sendToAck = new Samples(100_000);
    List<double[]> timeline = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong failed = new AtomicLong();
    AtomicLong polls = new AtomicLong();
    AtomicLong tokens = new AtomicLong();
    long start = System.nanoTime();
    long writeEnd = start + duration.toNanos();
    long hardEnd = writeEnd + settle.toNanos();
    int total = (int) Math.min(indexes.length, Math.ceil(perSecond * duration.toSeconds()));
    AtomicLong sentCount = new AtomicLong();
    Thread poller =
        Thread.ofPlatform()
            .name("freshness-poller")
            .start(
                () -> {
                  String etag = null;
                  while (System.nanoTime() < hardEnd) {
                    try {
                      RegistryClient.Token t = client.fetch(list, etag);
                      long now = System.nanoTime();
                      polls.incrementAndGet();
                      if (t != null) {
                        etag = t.etag();
                        tokens.incrementAndGet();
                        StatusList entries = t.list();
                        for (int i = 0; i < sentCount.get(); i++) {
                          long idx = indexes[i];
                          if (!seenAt.containsKey(idx) && entries.get(idx) != 0) {
                            seenAt.put(idx, now);
                          }
                        }
                      }
                      if (System.nanoTime() > writeEnd
                          && seenAt.size() + failed.get() >= sentCount.get()) {
                        break;
                      }
                    } catch (IOException e) {
                      // counted by the writer's outcome; keep polling
                    }
                    sleepNanos(pollEvery.toNanos());
                  }
                });
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);
      long gap = (long) (1e9 / perSecond);
      for (int i = 0; i < total; i++) {
        long slot = start + i * gap;
        long wait = slot - System.nanoTime();
        if (wait > 0) {
          sleepNanos(wait);
        }
        if (System.nanoTime() > writeEnd) {
          break;
        }
        inFlight.acquire();
        long idx = indexes[i];
        sentCount.set(i + 1);
        pool.submit(
            () -> {
              try {
                long t0 = System.nanoTime();
                int code = client.put(list, idx, "INVALID");
                long t1 = System.nanoTime();
                if (code == 202) {
                  acked.put(idx, new Change(idx, t0, t1));
                } else {
                  failed.incrementAndGet();
                }
              } catch (IOException e) {
                failed.incrementAndGet();
              } finally {
                inFlight.release();
              }
            });
      }
    }
    poller.join(Math.max(1, (hardEnd - System.nanoTime()) / 1_000_000 + 5_000));
    long never = 0;
    for (Change c : acked.values()) {
      Long seen = seenAt.get(c.idx());
      sendToAck.add((c.ackNanos() - c.sentNanos()) / 1_000_000);
      if (seen == null) {
        never++;
        continue;
      }
      // A fetch may show the change before its 202 arrives; that counts as zero.
      double ms = Math.max(0, seen - c.ackNanos()) / 1e6;
      ackToVisible.add(Math.round(ms));
      timeline.add(new double[] {(c.ackNanos() - start) / 1e9, ms});
    }
    timeline.sort((a, b) -> Double.compare(a[0], b[0]));
    return new Outcome(
        ackToVisible,
        sendToAck,
        acked.size(),
        never,
        failed.get(),
        tokens.get(),
        polls.get(),
        timeline);
  }

  static void sleepNanos(long nanos) {
    try {
      Thread.sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
