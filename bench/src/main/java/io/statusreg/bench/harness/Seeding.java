package io.statusreg.bench.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Puts data into a running server through its API: allocations and status changes in chunks. */
public final class Seeding {
  /** Largest allocation request the bench server is configured to accept. */
  public static final int CHUNK = 10_000;

  /**
   * Changes per bulk request: the default {@code bulk.max.changes}. (At 10,000 the reply record of
   * one bulk request outgrew the broker's 1 MB message limit and stopped the stream thread.)
   */
  public static final int BULK_CHUNK = 1_000;

  private Seeding() {}

  /** Settings the bench servers run with, so that seeding takes few requests. */
  public static java.util.Map<String, String> serverSettings() {
    return java.util.Map.of("allocation.max.count", Integer.toString(CHUNK));
  }

  /** Allocates {@code total} indexes on {@code list}, {@link #CHUNK} per request. */
  public static long[] allocate(RegistryClient client, String list, long total) throws IOException {
    long[] out = new long[(int) total];
    int n = 0;
    while (n < total) {
      int count = (int) Math.min(CHUNK, total - n);
      long[] got = client.allocate(list, count);
      System.arraycopy(got, 0, out, n, got.length);
      n += got.length;
    }
    return out;
  }

  /** Sets every index to {@code status}, {@link #BULK_CHUNK} per bulk request, 4 at a time. */
  public static int setAll(RegistryClient client, String list, long[] indexes, String status)
      throws IOException {
    return setAll(client, list, indexes, status, 4);
  }

  /**
   * Sets every index to {@code status}, {@link #BULK_CHUNK} per bulk request, {@code parallel} at a
   * time. A request answered 503 (the registry did not answer in time) is sent again, up to three
   * times: setting a status an entry already has changes nothing, so a retry is safe. Returns how
   * many 503 answers there were.
   */
  public static int setAll(
      RegistryClient client, String list, long[] indexes, String status, int parallel)
      throws IOException {
    java.util.concurrent.atomic.AtomicInteger unavailable =
        new java.util.concurrent.atomic.AtomicInteger();
    List<java.util.concurrent.Future<Integer>> sent = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(parallel)) {
      for (int from = 0; from < indexes.length; from += BULK_CHUNK) {
        long[] chunk =
            Arrays.copyOfRange(indexes, from, Math.min(indexes.length, from + BULK_CHUNK));
        sent.add(
            pool.submit(
                () -> {
                  List<RegistryClient.Change> changes = new ArrayList<>(chunk.length);
                  for (long idx : chunk) {
                    changes.add(new RegistryClient.Change(idx, status));
                  }
                  int code = client.bulk(list, changes);
                  for (int attempt = 1; code == 503 && attempt <= 3; attempt++) {
                    unavailable.incrementAndGet();
                    RegistryServer.sleep(2_000);
                    code = client.bulk(list, changes);
                  }
                  if (code == 503) {
                    unavailable.incrementAndGet();
                  }
                  return code;
                }));
      }
      for (var f : sent) {
        int code = f.get();
        if (code != 202) {
          throw new IOException(
              "a bulk change of up to "
                  + BULK_CHUNK
                  + " entries answered "
                  + code
                  + " ("
                  + unavailable.get()
                  + " answers 503 so far)");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while seeding", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("seeding " + list, e.getCause());
    }
    return unavailable.get();
  }

  /**
   * Waits until the list's published token shows at least {@code nonZero} entries that are not
   * VALID; returns the token.
   */
  public static RegistryClient.Token awaitPublished(
      RegistryClient client, String list, long nonZero, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    RegistryClient.Token last = null;
    while (System.nanoTime() < deadline) {
      RegistryClient.Token t = client.fetch(list, null);
      if (t != null) {
        last = t;
        long[] h = t.list().histogram();
        long set = 0;
        for (int i = 1; i < h.length; i++) {
          set += h[i];
        }
        if (set >= nonZero) {
          return t;
        }
      }
      RegistryServer.sleep(100);
    }
    throw new IOException(
        "list "
            + list
            + " not published with "
            + nonZero
            + " changed entries within "
            + timeout
            + (last == null ? " (never published)" : ""));
  }
}
