package io.statusreg.registry.keys;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.identifiers.IdentifierListBound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a node's signing keys come from: at most one of a JWK set file ({@code signing.keys.file}),
 * a PKCS#12 keystore ({@code signing.keystore.file}) or a PKCS#11 token ({@code
 * signing.pkcs11.config}); none = a generated development key. {@link #load} reads the keys and
 * runs {@link CertificateChain#check} on every chain, so a bad chain stops start-up with a message
 * naming the key and the rule.
 *
 * <p>Keys from a keystore or a token rotate by certificate: the key whose leaf certificate has the
 * latest {@code notBefore} (not in the future) signs, and every key it took over from stays in the
 * JWKS for {@code signing.keys.keep.old.ms} after that, so that the tokens it signed verify until
 * they expire.
 *
 * <p>A key's {@code x5c} may hold at most {@link IdentifierListBound#MAX_CHAIN_BYTES} bytes of
 * certificates: the chain travels in every identifier list token, beside up to the largest number
 * of identifiers one record holds.
 *
 * <p>{@link #toString()} never shows a password or PIN.
 */
public final class SigningKeySource {
  /** Which kind of store the keys are in. */
  public enum Kind {
    DEVELOPMENT,
    JWK_SET,
    PKCS12,
    PKCS11
  }

  private final Kind kind;
  private final Path file;
  private final char[] secret;
  private final List<String> aliases;
  private final Duration keepOld;
  private final boolean x5cRequired;
  private final Optional<Path> trustAnchors;
  private final String statusEku;

  private SigningKeySource(
      Kind kind,
      Path file,
      char[] secret,
      List<String> aliases,
      Duration keepOld,
      boolean x5cRequired,
      Optional<Path> trustAnchors,
      String statusEku) {
    this.kind = kind;
    this.file = file;
    this.secret = secret;
    this.aliases = aliases;
    this.keepOld = keepOld;
    this.x5cRequired = x5cRequired;
    this.trustAnchors = trustAnchors;
    this.statusEku = statusEku;
  }

  /**
   * Reads and validates the settings (not yet the keys): fails when more than one source is set, or
   * a named file does not exist.
   *
   * @param jwkSetFile {@code signing.keys.file}, read by the Streams settings
   */
  public static SigningKeySource from(Settings s, Optional<Path> jwkSetFile) {
    Optional<Path> keystore = path(s, KeySettings.KEYSTORE_FILE);
    Optional<Path> pkcs11 = path(s, KeySettings.PKCS11_CONFIG);
    int sources =
        (jwkSetFile.isPresent() ? 1 : 0)
            + (keystore.isPresent() ? 1 : 0)
            + (pkcs11.isPresent() ? 1 : 0);
    if (sources > 1) {
      throw new Setting.ConfigException(
          "set at most one of signing.keys.file, "
              + KeySettings.KEYSTORE_FILE.name()
              + " and "
              + KeySettings.PKCS11_CONFIG.name());
    }
    Kind kind =
        jwkSetFile.isPresent()
            ? Kind.JWK_SET
            : keystore.isPresent()
                ? Kind.PKCS12
                : pkcs11.isPresent() ? Kind.PKCS11 : Kind.DEVELOPMENT;
    Path file = jwkSetFile.or(() -> keystore).or(() -> pkcs11).orElse(null);
    String raw =
        kind == Kind.PKCS12
            ? s.get(KeySettings.KEYSTORE_PASSWORD)
            : kind == Kind.PKCS11 ? s.get(KeySettings.PKCS11_PIN) : "";
    String aliases = s.get(KeySettings.KEY_ALIASES).trim();
    Optional<Path> anchors = path(s, KeySettings.TRUST_ANCHORS_FILE);
    return new SigningKeySource(
        kind,
        file,
        raw.toCharArray(),
        aliases.isEmpty() ? List.of() : Arrays.asList(aliases.split(",")),
        s.get(KeySettings.KEEP_OLD),
        s.get(KeySettings.X5C_REQUIRED),
        anchors,
        s.get(KeySettings.STATUS_SIGNING_EKU).trim());
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether the keys belong to a separate status list signer: {@code signing.status.eku} is set, so
   * start-up requires that EKU in every leaf certificate.
   */
  public boolean separateListSigner() {
    return !statusEku.isEmpty();
  }

  /**
   * Reads the keys and checks them at the clock's now; empty for {@link Kind#DEVELOPMENT} (the
   * caller generates a development key and says so).
   */
  public Optional<KeyRing> load(Clock clock) {
    KeyRing ring =
        switch (kind) {
          case DEVELOPMENT -> null;
          case JWK_SET -> KeyRing.fromJwkSetFile(file);
          case PKCS12 ->
              KeyRing.fromPkcs12(file, secret, aliases.toArray(String[]::new)).supersede(keepOld);
          case PKCS11 -> Pkcs11Keys.load(file, secret, aliases).supersede(keepOld);
        };
    if (ring == null) {
      if (x5cRequired) {
        throw new io.statusreg.registry.RegistryException.InvalidInput(
            KeySettings.X5C_REQUIRED.name() + " is true but no signing keys are configured");
      }
      return Optional.empty();
    }
    check(ring, clock);
    return Optional.of(ring);
  }

  /** Runs the certificate checks of the settings on every published key of {@code ring}. */
  public void check(KeyRing ring, Clock clock) {
    Set<TrustAnchor> anchors = trustAnchors.map(CertificateChain::trustAnchors).orElse(Set.of());
    CertificateChain.Policy policy = new CertificateChain.Policy(anchors, statusEku);
    for (SigningKey key : ring.keys()) {
      if (!key.isPublishedAt(clock.instant())) {
        continue;
      }
      if (x5cRequired && key.x5c().isEmpty()) {
        throw new io.statusreg.registry.RegistryException.InvalidInput(
            "signing key '"
                + key.kid()
                + "' has no x5c, and "
                + KeySettings.X5C_REQUIRED.name()
                + " is true (HAIP: the status list token header carries x5c)");
      }
      long chainBytes = key.x5c().stream().mapToLong(c -> c.decode().length).sum();
      if (chainBytes > IdentifierListBound.MAX_CHAIN_BYTES) {
        throw new io.statusreg.registry.RegistryException.InvalidInput(
            "signing key '"
                + key.kid()
                + "' has an x5c of "
                + chainBytes
                + " bytes; at most "
                + IdentifierListBound.MAX_CHAIN_BYTES
                + " fit beside the largest identifier list in one token record");
      }
      CertificateChain.check(key, policy, clock.instant());
    }
  }

  private static Optional<Path> path(Settings s, Setting<String> setting) {
    String raw = s.get(setting).trim();
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Path p = Path.of(raw);
    if (!Files.isRegularFile(p)) {
      throw new Setting.ConfigException(
          setting.name() + " (" + setting.envName() + ") names " + raw + ", which is not a file");
    }
    return Optional.of(p);
  }

  @Override
  public String toString() {
    return "SigningKeySource[" + kind + (file == null ? "" : ", " + file) + "]";
  }
}
