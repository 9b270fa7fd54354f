package io.statusreg.bench.micro;

import io.statusreg.registry.identifiers.DevelopmentCertificate;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListEncoding;
import io.statusreg.registry.identifiers.IdentifierListToken;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Re-publishing an ISO/IEC 18013-5 identifier list that holds {@code revoked} identifiers (1M by
 * default) among twice as many slots, after one more revocation: encoding the identifiers map with
 * the per-page fragment cache the publisher keeps ({@code incremental*}) against encoding every
 * page again ({@code scratch*}), alone and with the ES256 signature and token assembly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
public class IdentifierListPublishBenchmark {

  @Param({"1000000"})
  int revoked;

  private IdentifierCipher cipher;
  private StatusList list;
  private IdentifierListEncoding cached;
  private final IdentifierListEncoding scratch = new IdentifierListEncoding(0);
  private SigningKey key;
  private List<byte[]> chain;
  private SplittableRandom random;
  private long slots;

  @Setup(Level.Trial)
  public void setUp() {
    slots = 2L * revoked;
    random = new SplittableRandom(42);
    cipher = new IdentifierCipher(new IndexPermutation.Key(7, 11));
    byte[] packed = new byte[(int) StatusList.byteLength(1, slots)];
    long set = 0;
    while (set < revoked) {
      long s = random.nextLong(slots);
      int bit = 1 << (s % 8);
      if ((packed[(int) (s / 8)] & bit) == 0) {
        packed[(int) (s / 8)] |= (byte) bit;
        set++;
      }
    }
    list = StatusList.fromBytes(1, slots, packed);
    cached = new IdentifierListEncoding(256L << 20);
    cached.encode("bench/idl", list, cipher);
    Instant now = Instant.now();
    key = SigningKey.generate(now);
    chain = List.of(DevelopmentCertificate.selfSigned(key, "bench", now, now.plusSeconds(86_400)));
  }

  private StatusList oneMore() {
    list = list.with(random.nextLong(slots), 1);
    return list;
  }

  @Benchmark
  public byte[] incrementalEncode() {
    return cached.encode("bench/idl", oneMore(), cipher).map();
  }

  @Benchmark
  public byte[] scratchEncode() {
    return scratch.encode("bench/idl", oneMore(), cipher).map();
  }

  @Benchmark
  public byte[] incrementalEncodeAndSign() {
    return sign(cached.encode("bench/idl", oneMore(), cipher).map());
  }

  @Benchmark
  public byte[] scratchEncodeAndSign() {
    return sign(scratch.encode("bench/idl", oneMore(), cipher).map());
  }

  private byte[] sign(byte[] map) {
    Instant iat = Instant.now();
    return IdentifierListToken.builder()
        .subject("https://status.example/statuslists/bench/idl")
        .issuedAt(iat)
        .expiresAt(iat.plus(Duration.ofDays(1)))
        .ttl(Duration.ofMinutes(5))
        .encodedIdentifiers(map)
        .sign(key, chain);
  }
}
