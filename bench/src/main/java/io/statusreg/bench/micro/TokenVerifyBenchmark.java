package io.statusreg.bench.micro;

import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.registry.tokens.StatusListEncoding;
import io.statusreg.registry.tokens.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
 * A verifier's cost per token: parse, check typ/alg/kid, verify the ES256 signature, check the
 * claims and inflate the list. Tokens are built at the publication level (6).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class TokenVerifyBenchmark {
  @Param({"1000000", "10000000"})
  public long entries;

  @Param({"1", "2"})
  public int bits;

  @Param({"0.001", "0.01"})
  public double fraction;

  @Param({"JWT", "CWT"})
  public String format;

  private String jwt;
  private byte[] cwt;
  private TokenVerifier verifier;

  @Setup(Level.Trial)
  public void setUp() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    StatusList list = Lists.random(bits, entries, fraction, 42);
    SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256, "bench", now);
    verifier =
        TokenVerifier.of(VerificationKeys.of(List.of(key)))
            .withClock(Clock.fixed(now, ZoneOffset.UTC));
    jwt =
        JwtStatusListToken.builder()
            .subject("https://issuer.example/statuslists/bench")
            .issuedAt(now)
            .expiresAt(now.plus(Duration.ofHours(24)))
            .encoding(StatusListEncoding.PUBLICATION)
            .list(list)
            .sign(key);
    cwt =
        CwtStatusListToken.builder()
            .subject("https://issuer.example/statuslists/bench")
            .issuedAt(now)
            .expiresAt(now.plus(Duration.ofHours(24)))
            .encoding(StatusListEncoding.PUBLICATION)
            .list(list)
            .sign(key);
  }

  @Benchmark
  public Object decodeVerify() {
    return format.equals("JWT") ? verifier.verifyJwt(jwt) : verifier.verifyCwt(cwt);
  }
}
