package io.statusreg.registry.keys;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.fold.Decider;
import java.time.Duration;
import java.util.List;

/**
 * Where the signing keys come from besides {@code signing.keys.file} (a JWK set), and what start-up
 * checks of their certificates. {@link SigningKeySource} reads them.
 */
public final class KeySettings {
  private KeySettings() {}

  public static final Setting<String> KEYSTORE_FILE =
      Setting.string(
          "signing.keystore.file",
          "",
          "PKCS#12 keystore with the signing keys (alias = kid, certificate chain = x5c);"
              + " empty = not used");
  public static final Setting<String> KEYSTORE_PASSWORD =
      Setting.secret(
          "signing.keystore.password", "", "password of signing.keystore.file (never logged)");
  public static final Setting<String> PKCS11_CONFIG =
      Setting.string(
          "signing.pkcs11.config",
          "",
          "SunPKCS11 provider configuration file of the HSM holding the signing keys; empty = not"
              + " used");
  public static final Setting<String> PKCS11_PIN =
      Setting.secret("signing.pkcs11.pin", "", "user PIN of the PKCS#11 token (never logged)");
  public static final Setting<String> KEY_ALIASES =
      new Setting<>(
          "signing.key.aliases",
          "",
          "aliases of the keystore or PKCS#11 keys to use, comma separated; empty = every key"
              + " with a certificate",
          s -> s,
          s -> s.isEmpty() || s.matches("[A-Za-z0-9._:-]{1,100}(,[A-Za-z0-9._:-]{1,100}){0,31}"),
          "empty or up to 32 comma-separated aliases of [A-Za-z0-9._:-]",
          false);

  /**
   * The shortest {@code signing.keys.keep.old.ms}: the longest validity ({@code exp - iat}) any
   * list's token may have, {@link Decider.Limits#maxValidity} (366 days, also the most {@code
   * lists.default.validity.seconds} allows), plus one day, the most {@code
   * lists.default.ttl.seconds} allows. The old key signs until its successor's {@code notBefore}
   * and leaves the JWKS this long after it, so the last token it signed has expired before it goes;
   * the day is the ttl's margin for a verifier that fetched that token just before it expired.
   */
  public static final Duration MIN_KEEP_OLD =
      Decider.Limits.DEFAULT.maxValidity().plus(Duration.ofDays(1));

  private static final long MAX_KEEP_OLD_MS = Duration.ofDays(3660).toMillis();

  public static final Setting<Duration> KEEP_OLD =
      Setting.millis(
          "signing.keys.keep.old.ms",
          MIN_KEEP_OLD.toMillis(),
          MIN_KEEP_OLD.toMillis(),
          MAX_KEEP_OLD_MS,
          "how long a keystore or PKCS#11 key stays in the JWKS after a key with a newer"
              + " certificate took over; at least the longest list validity plus its ttl",
          "at least the longest list validity ("
              + Decider.Limits.DEFAULT.maxValidity().toDays()
              + " days, the most a list or lists.default.validity.seconds may have) plus the"
              + " longest default ttl (1 day, the most lists.default.ttl.seconds allows), or a"
              + " retired key would leave the JWKS while tokens it signed are still valid");
  public static final Setting<Boolean> X5C_REQUIRED =
      Setting.bool(
          "signing.x5c.required",
          false,
          "whether every signing key must carry an x5c chain (HAIP); chains are checked either"
              + " way");
  public static final Setting<String> TRUST_ANCHORS_FILE =
      Setting.string(
          "signing.trust.anchors.file",
          "",
          "PEM file of the trust anchors every x5c chain must lead to; empty = not checked");
  public static final Setting<String> STATUS_SIGNING_EKU =
      new Setting<>(
          "signing.status.eku",
          "",
          "OID of id-kp-oauthStatusSigning that each leaf certificate must carry as"
              + " extendedKeyUsage (a separate status list signer); empty = not checked",
          s -> s,
          s -> s.isEmpty() || CertificateChain.isOid(s),
          "empty or a dotted OID",
          false);

  /** Every setting, in documentation order. */
  public static List<Setting<?>> all() {
    return List.of(
        KEYSTORE_FILE,
        KEYSTORE_PASSWORD,
        PKCS11_CONFIG,
        PKCS11_PIN,
        KEY_ALIASES,
        KEEP_OLD,
        X5C_REQUIRED,
        TRUST_ANCHORS_FILE,
        STATUS_SIGNING_EKU);
  }
}
