package io.statusreg.registry.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.RegistryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
 * follows the same rule, so a verifier always finds the key that signed an issuer's lists; {@link
 * #publicJwks()} holds every ring's keys, for verifiers that know only a token's {@code kid}.
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

  /**
   * The public JWKS JSON of every ring: the default ring's keys, then each issuer ring's, as
   * published now (old keys until their {@code retireAfter}). This is what {@code
   * /.well-known/jwks.json} serves, so that a verifier holding only a token's {@code kid} finds its
   * key whichever ring signed it; a key in two rings appears once. {@link #put} and {@link #rotate}
   * keep every {@code kid} naming one key across all rings.
   */
  public String publicJwks() {
    Instant now = clock.instant();
    Map<String, JWK> byKid = new LinkedHashMap<>();
    for (JWK k : defaultRing.publicJwkSet(now).getKeys()) {
      byKid.putIfAbsent(k.getKeyID(), k);
    }
    for (KeyRing ring : rings.values()) {
      for (JWK k : ring.publicJwkSet(now).getKeys()) {
        byKid.putIfAbsent(k.getKeyID(), k);
      }
    }
    return new JWKSet(List.copyOf(byKid.values())).toString(true);
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

  /**
   * Gives {@code issuer} a ring of its own. A {@code kid} that another ring uses for a different
   * key is refused: the common JWKS ({@link #publicJwks()}) must name one key per {@code kid}.
   */
  public synchronized void put(IssuerId issuer, KeyRing ring) {
    Objects.requireNonNull(issuer);
    Objects.requireNonNull(ring);
    checkKids(issuer, ring);
    rings.put(issuer, ring);
  }

  public synchronized void setDefault(KeyRing ring) {
    Objects.requireNonNull(ring);
    checkKids(null, ring);
    defaultRing = ring;
  }

  /**
   * Rotates {@code issuer}'s ring (creating it from {@code key} alone when the issuer has none):
   * {@code key} becomes active now, older keys stay published for {@code keepOldFor}.
   */
  public synchronized void rotate(IssuerId issuer, SigningKey key, Duration keepOldFor) {
    KeyRing ring = rings.get(issuer);
    KeyRing next =
        ring == null
            ? KeyRing.of(key.withNotBefore(clock.instant()))
            : ring.rotate(key, clock.instant(), keepOldFor);
    checkKids(issuer, next);
    rings.put(issuer, next);
  }

  /** Rotates the default ring. */
  public synchronized void rotateDefault(SigningKey key, Duration keepOldFor) {
    KeyRing next = defaultRing.rotate(key, clock.instant(), keepOldFor);
    checkKids(null, next);
    defaultRing = next;
  }

  /**
   * Refuses a key of {@code ring} whose kid names a different public key in another ring (the rings
   * other than {@code owner}'s; null = the default ring's own).
   */
  private void checkKids(IssuerId owner, KeyRing ring) {
    Map<String, Map.Entry<String, SigningKey>> others = new java.util.HashMap<>();
    if (owner != null) {
      defaultRing.keys().forEach(k -> others.put(k.kid(), Map.entry("the default ring", k)));
    }
    rings.forEach(
        (id, r) -> {
          if (!id.equals(owner)) {
            r.keys()
                .forEach(
                    k -> others.putIfAbsent(k.kid(), Map.entry("the ring of issuer " + id, k)));
          }
        });
    for (SigningKey key : ring.keys()) {
      Map.Entry<String, SigningKey> other = others.get(key.kid());
      if (other != null
          && !Arrays.equals(
              other.getValue().publicKey().getEncoded(), key.publicKey().getEncoded())) {
        throw new RegistryException.InvalidInput(
            "kid '"
                + key.kid()
                + "' already names another key in "
                + other.getKey()
                + "; a kid must name one key in the common JWKS");
      }
    }
  }

  @Override
  public String toString() {
    return "SigningKeys[default=" + defaultRing + ", issuers=" + rings.keySet() + "]";
  }
}
