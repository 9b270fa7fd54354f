package io.statusreg.registry.keys;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import io.statusreg.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One issuer's signing keys, oldest first: an immutable value (every change returns a new ring).
 *
 * <p>The <b>active</b> key at an instant is the pinned {@code kid} if one is set, else the key with
 * the latest {@link SigningKey#notBefore()} that is not after the instant and still published
 * (ties: the one added last, so in a JWK set file without {@code nbf}/{@code iat} the last key
 * wins). <b>Rotation</b> adds a key that becomes active at once and gives every older key a {@code
 * retireAfter}: their public keys stay in {@link #publicJwks} until then, so that tokens they
 * signed verify until those tokens expire (choose the keep period at least the longest token {@code
 * exp} offset plus verifier cache time).
 */
public final class KeyRing {
  private final List<SigningKey> keys;
  private final String pinnedKid;

  private KeyRing(List<SigningKey> keys, String pinnedKid) {
    this.keys = List.copyOf(keys);
    this.pinnedKid = pinnedKid;
    List<String> kids = new ArrayList<>();
    for (SigningKey k : this.keys) {
      if (kids.contains(k.kid())) {
        throw new RegistryException.InvalidInput(
            "two keys in one ring share kid '" + k.kid() + "'");
      }
      kids.add(k.kid());
    }
    if (pinnedKid != null && !kids.contains(pinnedKid)) {
      throw new RegistryException.InvalidInput("active kid '" + pinnedKid + "' is not in the ring");
    }
  }

  public static KeyRing of(SigningKey... keys) {
    return new KeyRing(List.of(keys), null);
  }

  public static KeyRing of(List<SigningKey> keys) {
    return new KeyRing(keys, null);
  }

  /** A ring with one freshly generated ES256 key: for {@code dev} mode and tests only. */
  public static KeyRing development(Instant now) {
    return of(SigningKey.generate(now));
  }

  /**
   * Reads a JWK set (JSON) of private keys. A key's {@code x5c} is checked against the key before
   * it is attached (leaf first, key matches leaf: {@link CertificateChain#checkLeaf}), so a wrong
   * chain fails with a message naming the rule rather than a parse error.
   */
  public static KeyRing fromJwkSet(String json) {
    java.util.Map<String, Object> set;
    try {
      set = com.nimbusds.jose.util.JSONObjectUtils.parse(json);
    } catch (java.text.ParseException e) {
      // The parser's message may quote the input, which holds private keys: keep only the offset.
      throw new RegistryException.InvalidInput(
          "signing keys are not a JWK set (error at offset " + e.getErrorOffset() + ")");
    }
    if (!(set.get("keys") instanceof List<?> raw) || raw.isEmpty()) {
      throw new RegistryException.InvalidInput("the JWK set holds no keys");
    }
    List<SigningKey> keys = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      if (!(raw.get(i) instanceof java.util.Map<?, ?> member)) {
        throw new RegistryException.InvalidInput("keys[" + i + "] is not a JSON object");
      }
      java.util.Map<String, Object> jwkJson = new java.util.LinkedHashMap<>();
      member.forEach((k, v) -> jwkJson.put(String.valueOf(k), v));
      Object x5c = jwkJson.remove("x5c");
      JWK jwk;
      try {
        jwk = JWK.parse(jwkJson);
      } catch (java.text.ParseException e) {
        throw new RegistryException.InvalidInput("keys[" + i + "] is not a valid JWK");
      }
      SigningKey key = SigningKey.fromJwk(jwk);
      if (x5c != null) {
        if (!(x5c instanceof List<?> certs)
            || certs.isEmpty()
            || !certs.stream().allMatch(c -> c instanceof String)) {
          throw new RegistryException.InvalidInput(
              "key '" + key.kid() + "': x5c must be a non-empty array of base64 certificates");
        }
        key = key.withX5c(certs.stream().map(c -> new Base64((String) c)).toList());
      }
      keys.add(key);
    }
    return of(keys);
  }

  /** Reads a JWK set file of private keys (a mounted Kubernetes Secret, say). */
  public static KeyRing fromJwkSetFile(Path file) {
    try {
      return fromJwkSet(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RegistryException("reading signing keys from " + file, e);
    } catch (RegistryException e) {
      throw new RegistryException.InvalidInput(
          "reading signing keys from " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the private key entries of a PKCS#12 keystore: those named by {@code aliases}, or every
   * key entry when none is named. The alias is the {@code kid}; the certificate chain becomes
   * {@code x5c}; the store password also opens the keys (the PKCS#12 convention). The password is
   * used and not kept.
   */
  public static KeyRing fromPkcs12(Path file, char[] password, String... aliases) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      List<String> names =
          aliases.length > 0 ? List.of(aliases) : Collections.list(store.aliases());
      List<SigningKey> keys = new ArrayList<>();
      for (String alias : names) {
        if (!store.isKeyEntry(alias)) {
          if (aliases.length > 0) {
            throw new RegistryException.InvalidInput(
                "keystore " + file + " has no private key under alias '" + alias + "'");
          }
          continue;
        }
        keys.add(fromKeyStoreEntry(store, alias, password));
      }
      if (keys.isEmpty()) {
        throw new RegistryException.InvalidInput("keystore " + file + " holds no private key");
      }
      return of(keys);
    } catch (IOException | GeneralSecurityException e) {
      // A wrong password surfaces as an IOException whose cause is an UnrecoverableKeyException.
      throw new RegistryException.InvalidInput(
          "reading keystore " + file + " failed (wrong password or not PKCS#12?)", e);
    }
  }

  private static SigningKey fromKeyStoreEntry(KeyStore store, String alias, char[] password)
      throws GeneralSecurityException {
    Key key = store.getKey(alias, password);
    Certificate[] chain = store.getCertificateChain(alias);
    if (!(key instanceof PrivateKey priv) || chain == null || chain.length == 0) {
      throw new RegistryException.InvalidInput(
          "keystore entry '" + alias + "' is not a private key with a certificate");
    }
    List<Base64> x5c = new ArrayList<>();
    // HAIP: the trust anchor is not sent, so a keystore chain's self-signed root is left out.
    List<X509Certificate> certs = Pkcs11Keys.x5c(chain);
    for (X509Certificate c : certs) {
      x5c.add(Base64.encode(c.getEncoded()));
    }
    java.security.PublicKey pub = ((X509Certificate) chain[0]).getPublicKey();
    JWK jwk =
        switch (pub) {
          case ECPublicKey ec ->
              new ECKey.Builder(com.nimbusds.jose.jwk.Curve.forECParameterSpec(ec.getParams()), ec)
                  .privateKey(priv)
                  .keyID(alias)
                  .x509CertChain(x5c)
                  .build();
          case RSAPublicKey rsa ->
              new RSAKey.Builder(rsa).privateKey(priv).keyID(alias).x509CertChain(x5c).build();
          case EdECPublicKey ed when priv instanceof EdECPrivateKey edPriv ->
              new com.nimbusds.jose.jwk.OctetKeyPair.Builder(Jwks.ed25519(ed, rawEd(edPriv)))
                  .keyID(alias)
                  .x509CertChain(x5c)
                  .build();
          default ->
              throw new RegistryException.InvalidInput(
                  "keystore entry '" + alias + "' holds a " + pub.getAlgorithm() + " key");
        };
    // The newer certificate's key signs (see supersede).
    return SigningKey.fromJwk(jwk).withNotBefore(certs.getFirst().getNotBefore().toInstant());
  }

  private static byte[] rawEd(EdECPrivateKey key) throws GeneralSecurityException {
    return key.getBytes()
        .orElseThrow(() -> new GeneralSecurityException("Ed25519 key is not extractable"));
  }

  /**
   * Rotation by certificate (keystores and PKCS#11 tokens): every key that a key with a later
   * {@link SigningKey#notBefore()} took over from, and that has no {@code retireAfter} yet, leaves
   * the JWKS {@code keepOld} after its successor's {@code notBefore}. The successor signs from its
   * {@code notBefore} on (see {@link #active}).
   */
  public KeyRing supersede(Duration keepOld) {
    if (keepOld.isNegative()) {
      throw new RegistryException.InvalidInput("keepOld must not be negative");
    }
    List<SigningKey> next = new ArrayList<>(keys.size());
    for (SigningKey k : keys) {
      Instant successor = null;
      for (SigningKey other : keys) {
        if (other.notBefore().isAfter(k.notBefore())
            && (successor == null || other.notBefore().isBefore(successor))) {
          successor = other.notBefore();
        }
      }
      next.add(
          successor == null || k.retireAfter().isPresent()
              ? k
              : k.withRetireAfter(successor.plus(keepOld)));
    }
    return new KeyRing(next, pinnedKid);
  }

  /** Every key, oldest first, retired ones included. */
  public List<SigningKey> keys() {
    return keys;
  }

  public Optional<SigningKey> find(String kid) {
    return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
  }

  /** The key that signs at {@code now} (see the class comment). */
  public SigningKey active(Instant now) {
    if (pinnedKid != null) {
      return find(pinnedKid).orElseThrow();
    }
    SigningKey best = null;
    for (SigningKey k : keys) {
      if (!k.notBefore().isAfter(now)
          && k.isPublishedAt(now)
          && (best == null || !k.notBefore().isBefore(best.notBefore()))) {
        best = k;
      }
    }
    if (best == null) {
      throw new RegistryException(
          "no signing key is active at " + now + " among " + keys.size() + " keys");
    }
    return best;
  }

  /** A ring whose active key is always {@code kid} (until the next rotation). */
  public KeyRing pin(String kid) {
    return new KeyRing(keys, kid);
  }

  /** A ring with {@code key} added; whether it becomes active follows its {@code notBefore}. */
  public KeyRing with(SigningKey key) {
    List<SigningKey> next = new ArrayList<>(keys);
    next.add(key);
    return new KeyRing(next, pinnedKid);
  }

  /**
   * Rotation: {@code key} is added and active from {@code now}; every older key that has no earlier
   * {@code retireAfter} leaves the JWKS at {@code now + keepOldFor}. Any pin is cleared.
   */
  public KeyRing rotate(SigningKey key, Instant now, Duration keepOldFor) {
    if (keepOldFor.isNegative()) {
      throw new RegistryException.InvalidInput("keepOldFor must not be negative");
    }
    Instant retire = now.plus(keepOldFor);
    List<SigningKey> next = new ArrayList<>();
    for (SigningKey old : keys) {
      if (old.notBefore().isAfter(now)) {
        // Pre-published but never active: it signed nothing, so it leaves the JWKS at once.
        next.add(old.withRetireAfter(now));
      } else if (old.retireAfter().filter(r -> r.isBefore(retire)).isPresent()) {
        next.add(old);
      } else {
        next.add(old.withRetireAfter(retire));
      }
    }
    next.add(key.withNotBefore(now));
    return new KeyRing(next, null);
  }

  /** The public keys published at {@code now} (not past their {@code retireAfter}). */
  public JWKSet publicJwkSet(Instant now) {
    return new JWKSet(
        keys.stream().filter(k -> k.isPublishedAt(now)).map(SigningKey::publicJwk).toList());
  }

  /** {@link #publicJwkSet} as JSON: {@code {"keys":[{kty,...,kid,alg,use,x5c?}]}}. */
  public String publicJwks(Instant now) {
    return publicJwkSet(now).toString(true);
  }

  @Override
  public String toString() {
    return "KeyRing" + keys + (pinnedKid == null ? "" : "[pinned=" + pinnedKid + "]");
  }
}
