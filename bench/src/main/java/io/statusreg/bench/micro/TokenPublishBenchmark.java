package io.statusreg.bench.micro;

import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.registry.tokens.StatusListEncoding;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
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
 * The publisher's cost per list: assemble the packed bytes, zlib them, and sign a JWT or CWT Status
 * List Token with ES256. Average time per token.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class TokenPublishBenchmark {
  @Param({"1000000", "10000000"})
  public long entries;

  @Param({"1", "2"})
  public int bits;

  @Param({"0.001", "0.01"})
  public double fraction;

  @Param({"6", "9"})
  public int level;

  @Param({"JWT", "CWT"})
  public String format;

  private StatusList list;
  private SigningKey key;
  private StatusListEncoding encoding;
  private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Setup(Level.Trial)
  public void setUp() {
    list = Lists.random(bits, entries, fraction, 42);
    key = SigningKey.generate(SignatureAlgorithm.ES256, "bench", now);
    encoding = StatusListEncoding.level(level);
  }

  @Benchmark
  public Object encodeCompressSign() {
    if (format.equals("JWT")) {
      return JwtStatusListToken.builder()
          .subject("https://issuer.example/statuslists/bench")
          .issuedAt(now)
          .expiresAt(now.plus(Duration.ofHours(24)))
          .ttl(Duration.ofMinutes(15))
          .encoding(encoding)
          .list(list)
          .sign(key);
    }
    return CwtStatusListToken.builder()
        .subject("https://issuer.example/statuslists/bench")
        .issuedAt(now)
        .expiresAt(now.plus(Duration.ofHours(24)))
        .ttl(Duration.ofMinutes(15))
        .encoding(encoding)
        .list(list)
        .sign(key);
  }
}
