package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.keys.KeySettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shortest {@code signing.keys.keep.old.ms} (registry) covers the longest validity plus the
 * longest default ttl that the API's list settings accept, so that raising either bound here
 * without raising the keep period fails the build.
 */
class KeepOldCoversListLifetimesTest {

  /** The largest value {@code setting} accepts, checked to be its upper bound. */
  static long largest(Setting<Long> setting, long candidate) {
    Settings ok = Settings.of(Map.of(setting.name(), Long.toString(candidate)));
    assertThat(ok.get(setting)).isEqualTo(candidate);
    assertThatThrownBy(
            () -> Settings.of(Map.of(setting.name(), Long.toString(candidate + 1))).get(setting))
        .isInstanceOf(Setting.ConfigException.class);
    return candidate;
  }

  @Test
  void theShortestKeepPeriodIsAtLeastTheLongestValidityPlusTheLongestDefaultTtl() {
    long validity =
        largest(
            ApiSettings.LISTS_DEFAULT_VALIDITY_SECONDS,
            io.statusreg.registry.fold.Decider.Limits.DEFAULT.maxValidity().toSeconds());
    long ttl = largest(ApiSettings.LISTS_DEFAULT_TTL_SECONDS, 86_400);
    assertThat(KeySettings.MIN_KEEP_OLD).isGreaterThanOrEqualTo(Duration.ofSeconds(validity + ttl));
  }
}
