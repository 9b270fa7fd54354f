package io.statusreg.registry.tokens;

import io.statusreg.registry.RegistryException;
import io.statusreg.registry.lists.StatusList;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The claims of a Status List Token, common to the JWT and CWT forms.
 *
 * @param subject {@code sub}: the list's URI (the {@code uri} of referenced tokens)
 * @param issuedAt {@code iat}, whole seconds
 * @param expiresAt {@code exp}, whole seconds; null only in a parsed token that had none
 * @param ttl {@code ttl}, whole seconds; null when absent
 * @param list the statuses; {@code bits} is {@code list.bits()}. A decoded list has {@code
 *     byteLength * 8 / bits} entries (the packed array does not carry the exact size).
 * @param aggregationUri {@code status_list.aggregation_uri}; null when absent
 */
public record StatusListClaims(
    String subject,
    Instant issuedAt,
    Instant expiresAt,
    Duration ttl,
    StatusList list,
    String aggregationUri) {

  public StatusListClaims {
    if (subject == null || subject.isEmpty()) {
      throw new RegistryException.InvalidInput("a status list token needs a subject (sub)");
    }
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(list, "list");
    issuedAt = seconds(issuedAt);
    expiresAt = expiresAt == null ? null : seconds(expiresAt);
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new RegistryException.InvalidInput("ttl must be positive, got " + ttl);
    }
    ttl = ttl == null ? null : Duration.ofSeconds(ttl.toSeconds());
  }

  public int bits() {
    return list.bits();
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  public Optional<Duration> timeToLive() {
    return Optional.ofNullable(ttl);
  }

  public Optional<String> aggregation() {
    return Optional.ofNullable(aggregationUri);
  }

  private static Instant seconds(Instant t) {
    return Instant.ofEpochSecond(t.getEpochSecond());
  }
}
