package io.statusreg.bench.micro;

import io.statusreg.api.verifier.PreparedList;
import io.statusreg.api.verifier.TokenCache;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import io.statusreg.streams.TokenDirectory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a verifier's {@code ?time=} lookup costs the server beyond the directory's seek, against a
 * cached latest fetch: {@code latest} is the fast path's one map lookup; {@code historyUncached}
 * prepares the past publication on every request (hash and gzip of each representation, as every
 * {@code ?time=} did before the history cache); {@code historyCached} is the same lookup answered
 * from the history cache. The directory is in memory, so the RocksDB seek and decode of the real
 * one are not in these figures. Token bodies are random base64 of {@code kib} KiB per
 * representation (incompressible, like a list with many changes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
public class HistoryLookupBenchmark {
  @Param({"2", "147"})
  public int kib;

  private static final ListId LIST = ListId.of("acme", "bench");
  private TokenCache cached;
  private TokenCache uncached;
  private Instant past;

  @Setup(Level.Trial)
  public void setUp() {
    Instant now = Instant.now();
    Random random = new Random(42);
    List<PublishedToken> history = new ArrayList<>();
    for (int v = 1; v <= 4; v++) {
      history.add(token(random, v, now.minus(Duration.ofHours(4 - v)), kib));
    }
    Directory directory = new Directory(history);
    cached = new TokenCache(directory, 64L << 20);
    uncached = new TokenCache(directory, 0);
    cached.accept(history.getLast());
    uncached.accept(history.getLast());
    past = now.minus(Duration.ofMinutes(150)); // inside version 1's validity only
  }

  @Benchmark
  public PreparedList latest() {
    return cached.cachedAt("/statuslists/acme/bench");
  }

  @Benchmark
  public PreparedList historyCached() {
    return cached.at(LIST, past).orElseThrow();
  }

  @Benchmark
  public PreparedList historyUncached() {
    return uncached.at(LIST, past).orElseThrow();
  }

  private static PublishedToken token(Random random, long version, Instant iat, int kib) {
    byte[][] bodies = new byte[3][];
    for (int i = 0; i < 3; i++) {
      byte[] raw = new byte[kib * 768];
      random.nextBytes(raw);
      bodies[i] = Base64.getUrlEncoder().encode(raw);
    }
    return new PublishedToken(
        LIST,
        "http://localhost:8080/statuslists/acme/bench",
        version,
        1,
        1_000_000,
        10,
        new long[] {999_990, 10},
        iat,
        iat.plus(Duration.ofHours(1)),
        Duration.ofMinutes(5),
        "kid-1",
        "\"v" + version + "\"",
        bodies[0],
        bodies[1],
        bodies[2],
        iat.minusMillis(300),
        version);
  }

  /** History in memory: the newest publication valid at a time, as the real directory answers. */
  private record Directory(List<PublishedToken> history) implements TokenDirectory {
    @Override
    public Optional<PublishedToken> latest(ListId list) {
      return Optional.of(history.getLast());
    }

    @Override
    public Optional<PublishedToken> at(ListId list, Instant time) {
      for (int i = history.size() - 1; i >= 0; i--) {
        if (history.get(i).validAt(time)) {
          return Optional.of(history.get(i));
        }
      }
      return Optional.empty();
    }

    @Override
    public List<ListId> lists(IssuerId issuer) {
      return List.of(LIST);
    }

    @Override
    public boolean isCaughtUp() {
      return true;
    }

    @Override
    public void onPublished(Consumer<PublishedToken> listener) {}
  }
}
