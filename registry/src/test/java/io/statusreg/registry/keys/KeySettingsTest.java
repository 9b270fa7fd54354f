package io.statusreg.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.fold.Decider;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code signing.keys.keep.old.ms} is never shorter than the longest token a retired key may have
 * signed: a shorter keep period would take the key out of the JWKS while its tokens are valid.
 */
class KeySettingsTest {
  static final String KEEP = "signing.keys.keep.old.ms";
  static final Duration LONGEST_VALIDITY = Decider.Limits.DEFAULT.maxValidity();

  static Duration keepOld(String value) {
    return Settings.of(Map.of(KEEP, value)).get(KeySettings.KEEP_OLD);
  }

  @Test
  void aKeepPeriodShorterThanTheLongestValidityPlusTtlIsRefusedNamingTheSettings() {
    for (Duration tooShort :
        new Duration[] {
          Duration.ZERO,
          Duration.ofDays(2),
          LONGEST_VALIDITY,
          LONGEST_VALIDITY.plus(Duration.ofDays(1)).minusMillis(1)
        }) {
      assertThatThrownBy(() -> keepOld(Long.toString(tooShort.toMillis())))
          .as("%s", tooShort)
          .isInstanceOf(Setting.ConfigException.class)
          .hasMessageContaining(KEEP)
          .hasMessageContaining("lists.default.validity.seconds")
          .hasMessageContaining("lists.default.ttl.seconds");
    }
    // and the key source refuses it at start-up, whatever the source (here the development key)
    assertThatThrownBy(
            () -> SigningKeySource.from(Settings.of(Map.of(KEEP, "0")), Optional.empty()))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining(KEEP);
  }

  @Test
  void theDefaultAndTheShortestAllowedKeepAnOldKeyUntilItsLongestTokenHasExpired() {
    Duration byDefault = Settings.of(Map.of()).get(KeySettings.KEEP_OLD);
    Duration shortest = keepOld(Long.toString(LONGEST_VALIDITY.plusDays(1).toMillis()));
    assertThat(shortest).isEqualTo(KeySettings.MIN_KEEP_OLD);
    assertThat(byDefault).isGreaterThanOrEqualTo(shortest);

    Instant takeover = Instant.parse("2026-06-01T00:00:00Z");
    for (Duration keep : new Duration[] {byDefault, shortest}) {
      KeyRing ring =
          KeyRing.of(
                  SigningKey.generate(
                      SignatureAlgorithm.ES256, "old", takeover.minusSeconds(86_400)),
                  SigningKey.generate(SignatureAlgorithm.ES256, "new", takeover))
              .supersede(keep);
      // The last token the old key signed (just before the take-over) with the longest validity
      // is valid until takeover + LONGEST_VALIDITY; the old key is still published then.
      Instant lastExp = takeover.plus(LONGEST_VALIDITY);
      assertThat(ring.publicJwkSet(lastExp).getKeys()).as("%s", keep).hasSize(2);
    }
  }
}
