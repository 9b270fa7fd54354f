package io.statusreg.registry.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.statusreg.registry.RegistryException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Public keys that token verifiers trust, by {@code kid}: from a JWK set (what {@link
 * KeyRing#publicJwks} publishes) or a single public key. Each key is bound to one algorithm (the
 * JWK's {@code alg}, else the default for its type), so a token cannot pick a weaker one.
 */
public final class VerificationKeys {
  /** A trusted public key and the one algorithm it verifies. */
  public record Key(String kid, SignatureAlgorithm algorithm, PublicKey publicKey) {}

  private final Map<String, Key> byKid;

  private VerificationKeys(Map<String, Key> byKid) {
    this.byKid = Map.copyOf(byKid);
  }

  public static VerificationKeys of(JWKSet set) {
    Map<String, Key> keys = new LinkedHashMap<>();
    for (JWK jwk : set.getKeys()) {
      if (jwk.getKeyID() == null) {
        throw new RegistryException.InvalidInput(
            "every verification key needs a kid; " + Jwks.describe(jwk) + " has none");
      }
      SignatureAlgorithm alg = Jwks.algorithmOf(jwk);
      PublicKey pub = Jwks.publicKey(jwk);
      if (!alg.fits(pub)) {
        throw new RegistryException.InvalidInput(
            "key " + Jwks.describe(jwk) + " cannot be used with " + alg.jose());
      }
      if (keys.put(jwk.getKeyID(), new Key(jwk.getKeyID(), alg, pub)) != null) {
        throw new RegistryException.InvalidInput(
            "two verification keys share kid '" + jwk.getKeyID() + "'");
      }
    }
    return new VerificationKeys(keys);
  }

  /** Parses a JWK set JSON ({@code {"keys":[...]}}) or a single JWK JSON object. */
  public static VerificationKeys parse(String json) {
    try {
      Map<String, Object> obj = com.nimbusds.jose.util.JSONObjectUtils.parse(json);
      return of(obj.containsKey("keys") ? JWKSet.parse(obj) : new JWKSet(JWK.parse(obj)));
    } catch (java.text.ParseException e) {
      throw new RegistryException.InvalidInput("verification keys are not a JWK or JWK set", e);
    }
  }

  public static VerificationKeys of(String kid, SignatureAlgorithm algorithm, PublicKey key) {
    if (!algorithm.fits(key)) {
      throw new RegistryException.InvalidInput(
          "a " + key.getAlgorithm() + " key cannot be used with " + algorithm.jose());
    }
    return new VerificationKeys(Map.of(kid, new Key(kid, algorithm, key)));
  }

  /** The public keys of signing keys (for tests and in-process verification). */
  public static VerificationKeys of(List<SigningKey> keys) {
    return of(new JWKSet(keys.stream().map(SigningKey::publicJwk).toList()));
  }

  public Optional<Key> find(String kid) {
    return Optional.ofNullable(byKid.get(kid));
  }

  public int size() {
    return byKid.size();
  }

  @Override
  public String toString() {
    return "VerificationKeys" + byKid.keySet();
  }
}
