package io.statusreg.registry.keys;

import io.statusreg.registry.IssuerId;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys of every issuer: a map {@link IssuerId} to {@link KeyRing}, plus a default ring.
 *
 * <p>An issuer with a ring of its own signs with it; an issuer without one signs with the default
 * ring (a deployment with one signing identity configures only the default; a deployment where
 * issuers bring their own keys adds a ring per issuer, and the default then serves the rest, or can
 * be left as a development ring that production never reaches). {@link #publicJwks(IssuerId)}
 * follows the same rule, so a verifier always finds the key that signed an issuer's lists.
 *
 * <p>Thread-safe: rings are immutable values swapped atomically.
 */
public final class SigningKeys {
  private final Clock clock;
  private volatile KeyRing defaultRing;
  private final Map<IssuerId, KeyRing> rings = new ConcurrentHashMap<>();

  public SigningKeys(Clock clock, KeyRing defaultRing) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.defaultRing = Objects.requireNonNull(defaultRing, "defaultRing");
  }

  /** Keys for development: one generated ES256 key in the default ring. */
  public static SigningKeys development(Clock clock) {
    return new SigningKeys(clock, KeyRing.development(clock.instant()));
  }

  /** The active key of the default ring. */
  public SigningKey active() {
    return defaultRing.active(clock.instant());
  }

  /** The active key for {@code issuer}: its own ring's, else the default ring's. */
  public SigningKey active(IssuerId issuer) {
    return ring(issuer).active(clock.instant());
  }

  /** The public JWKS JSON of the default ring. */
  public String publicJwks() {
    return defaultRing.publicJwks(clock.instant());
  }

  /** The public JWKS JSON that verifies {@code issuer}'s tokens. */
  public String publicJwks(IssuerId issuer) {
    return ring(issuer).publicJwks(clock.instant());
  }

  /** The ring that signs for {@code issuer}. */
  public KeyRing ring(IssuerId issuer) {
    KeyRing own = rings.get(issuer);
    return own != null ? own : defaultRing;
  }

  public KeyRing defaultRing() {
    return defaultRing;
  }

  /** Whether {@code issuer} has a ring of its own. */
  public boolean hasOwnRing(IssuerId issuer) {
    return rings.containsKey(issuer);
  }

  public void put(IssuerId issuer, KeyRing ring) {
    rings.put(Objects.requireNonNull(issuer), Objects.requireNonNull(ring));
  }

  public void setDefault(KeyRing ring) {
    defaultRing = Objects.requireNonNull(ring);
  }

  /**
   * Rotates {@code issuer}'s ring (creating it from {@code key} alone when the issuer has none):
   * {@code key} becomes active now, older keys stay published for {@code keepOldFor}.
   */
  public void rotate(IssuerId issuer, SigningKey key, Duration keepOldFor) {
    rings.compute(
        issuer,
        (id, ring) ->
            ring == null
                ? KeyRing.of(key.withNotBefore(clock.instant()))
                : ring.rotate(key, clock.instant(), keepOldFor));
  }

  /** Rotates the default ring. */
  public synchronized void rotateDefault(SigningKey key, Duration keepOldFor) {
    defaultRing = defaultRing.rotate(key, clock.instant(), keepOldFor);
  }

  @Override
  public String toString() {
    return "SigningKeys[default=" + defaultRing + ", issuers=" + rings.keySet() + "]";
  }
}
