package io.statusreg.bench.writes;

import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.stats.RateSeries;
import io.statusreg.bench.stats.Samples;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop write load: {@code workers} virtual threads, each owning a disjoint slice of
 * allocated indexes of a 2-bit list and flipping them between SUSPENDED and VALID (so that every
 * request changes every entry it names), one PUT or one bulk POST at a time. Bounded in time and in
 * request count.
 */
public final class WriteLoad {
  /** What a load run did. Latencies in microseconds, per request. */
  public record Outcome(
      long acceptedChanges,
      long acceptedRequests,
      long failedRequests,
      double seconds,
      Samples latencyUs,
      List<Long> perSecond) {
    public double rate() {
      return acceptedChanges / seconds;
    }
  }

  private WriteLoad() {}

  /**
   * Runs the load for {@code duration}, or until {@code maxRequests} have been sent.
   *
   * @param batch changes per request: 1 sends single PUTs, more sends bulk POSTs
   */
  public static Outcome run(
      RegistryClient client,
      String list,
      long[] indexes,
      int workers,
      int batch,
      Duration duration,
      long maxRequests)
      throws InterruptedException {
    if ((long) workers * batch > indexes.length) {
      throw new IllegalArgumentException(
          workers + " workers x " + batch + " need more than " + indexes.length + " indexes");
    }
    AtomicLong changes = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong sent = new AtomicLong();
    Samples latency = new Samples(1_000_000);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    int seconds = (int) Math.max(1, duration.toSeconds() + 1);
    RateSeries series = new RateSeries(start, seconds + 5);
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < workers; w++) {
        int slice = indexes.length / workers;
        long[] mine = java.util.Arrays.copyOfRange(indexes, w * slice, w * slice + slice);
        futures.add(
            pool.submit(
                () -> {
                  boolean suspended = false;
                  int cursor = 0;
                  while (System.nanoTime() < end && sent.incrementAndGet() <= maxRequests) {
                    String status = suspended ? "VALID" : "SUSPENDED";
                    long t0 = System.nanoTime();
                    int code;
                    try {
                      if (batch == 1) {
                        code = client.put(list, mine[cursor], status);
                      } else {
                        List<RegistryClient.Change> cs = new ArrayList<>(batch);
                        for (int i = 0; i < batch; i++) {
                          cs.add(new RegistryClient.Change(mine[i], status));
                        }
                        code = client.bulk(list, cs);
                      }
                    } catch (IOException e) {
                      code = -1;
                    }
                    long t1 = System.nanoTime();
                    if (code == 202) {
                      ok.incrementAndGet();
                      changes.addAndGet(batch);
                      latency.add((t1 - t0) / 1000);
                      series.add(t1, batch);
                      if (batch == 1) {
                        cursor++;
                        if (cursor == mine.length) {
                          cursor = 0;
                          suspended = !suspended;
                        }
                      } else {
                        suspended = !suspended;
                      }
                    } else {
                      failed.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      pool.shutdown();
      if (!pool.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    return new Outcome(
        changes.get(), ok.get(), failed.get(), secs, latency, series.perSecond(seconds));
  }
}
