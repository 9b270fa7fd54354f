package io.statusreg.api.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.registry.ListId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The serving cache: one entry per list, the newest publication kept, the gauges' inputs. */
class TokenCacheTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final ListId A = ListId.of("acme", "a");
  static final ListId B = ListId.of("globex", "b");

  @Test
  void eachListIsFoundByItsPathAndItsSegmentsAndAnOlderVersionNeverReplacesANewerOne() {
    TokenCache cache = new TokenCache(new FakeDirectory());
    assertThat(cache.oldestIssuedAt()).isEmpty();
    assertThat(cache.earliestExpiresAt()).isEmpty();

    cache.accept(FakeDirectory.token(A, 2, T0, Duration.ofHours(1), Duration.ofMinutes(5), true));
    cache.accept(
        FakeDirectory.token(A, 1, T0.minusSeconds(60), Duration.ofHours(9), Duration.ZERO, true));
    cache.accept(
        FakeDirectory.token(
            B, 7, T0.plusSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(5), false));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.cachedAt("/statuslists/acme/a").token().version()).isEqualTo(2);
    assertThat(cache.cached("acme", "a")).isSameAs(cache.cachedAt("/statuslists/acme/a"));
    assertThat(cache.cached("globex", "b").token().version()).isEqualTo(7);
    assertThat(cache.cached("acme", "b")).isNull();
    assertThat(cache.cachedAt("/statuslists/acme")).isNull();
    assertThat(cache.oldestIssuedAt()).hasValue(T0);
    assertThat(cache.earliestExpiresAt()).hasValue(T0.plusSeconds(30).plus(Duration.ofMinutes(10)));
  }
}
