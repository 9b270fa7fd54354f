package io.statusreg.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.config.Settings;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.registry.tokens.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signing through the JDK's SunPKCS11 provider against a real SoftHSM2 token (Debian package {@code
 * softhsm2}, installed by {@code scripts/test.sh}), including rotation. SoftHSM2 finds its token
 * directory through {@code SOFTHSM2_CONF}, which the build sets for this JVM (registry/pom.xml).
 */
class Pkcs11SoftHsmIT {
  /** The shortest keep period {@code signing.keys.keep.old.ms} accepts. */
  static final Duration KEEP_OLD = KeySettings.MIN_KEEP_OLD;

  static final String PIN = "4711-it";
  static final List<Path> LIBRARIES =
      List.of(
          Path.of("/usr/lib/softhsm/libsofthsm2.so"),
          Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
          Path.of("/usr/lib64/softhsm/libsofthsm2.so"),
          Path.of("/usr/local/lib/softhsm/libsofthsm2.so"));
  static Path config;
  static TestPki pki;
  static Path dir;

  @BeforeAll
  static void initToken() throws Exception {
    String conf = System.getenv("SOFTHSM2_CONF");
    assertThat(conf).as("SOFTHSM2_CONF is set by the build for this test").isNotBlank();
    Path library =
        LIBRARIES.stream()
            .filter(Files::isRegularFile)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "SoftHSM2 is not installed (Debian package softhsm2; scripts/test.sh installs"
                            + " it): none of "
                            + LIBRARIES));
    dir = Path.of(conf).getParent();
    Path tokens = dir.resolve("tokens");
    // A fresh token and PKI on every run (an earlier run's files would clash with keytool's).
    for (Path old : List.of(tokens, dir.resolve("pki"))) {
      if (Files.exists(old)) {
        try (Stream<Path> walk = Files.walk(old)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    Files.createDirectories(tokens);
    Files.writeString(
        Path.of(conf),
        "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        "statusreg-it",
        "--pin",
        PIN,
        "--so-pin",
        "0815-so");
    config = dir.resolve("pkcs11.cfg");
    Files.writeString(
        config, "name = statusreg-it\nlibrary = " + library + "\nslotListIndex = 0\n");
    pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
  }

  /**
   * Imports a keytool-made key and its chain (root included) into the token under {@code alias}.
   */
  static void importIntoToken(String alias, String startDate) throws Exception {
    Path store = pki.leaf(alias, startDate, null);
    Provider p = Security.getProvider("SunPKCS11").configure(config.toString());
    if (Security.getProvider(p.getName()) == null) {
      Security.addProvider(p);
    } else {
      p = Security.getProvider(p.getName());
    }
    KeyStore token = KeyStore.getInstance("PKCS11", p);
    token.load(null, PIN.toCharArray());
    token.setKeyEntry(
        alias,
        TestPki.privateKey(store, alias),
        null,
        TestPki.chain(store, alias).toArray(Certificate[]::new));
  }

  static SigningKeySource source(Map<String, String> extra) {
    Map<String, String> raw = new java.util.HashMap<>(extra);
    raw.put("signing.pkcs11.config", config.toString());
    raw.put("signing.pkcs11.pin", PIN);
    raw.put("signing.x5c.required", "true");
    raw.put("signing.trust.anchors.file", pki.root().toString());
    raw.put("signing.keys.keep.old.ms", Long.toString(KEEP_OLD.toMillis()));
    return SigningKeySource.from(Settings.of(raw), Optional.empty());
  }

  static String sign(SigningKey key, Instant iat) {
    return JwtStatusListToken.builder()
        .subject("https://status.example/statuslists/acme/hsm")
        .issuedAt(iat)
        .expiresAt(iat.plus(Duration.ofDays(1)))
        .ttl(Duration.ofMinutes(5))
        .list(StatusList.empty(1, 1024).with(3, 1))
        .sign(key);
  }

  static TokenVerifier verifier(String jwks, Instant at) {
    return TokenVerifier.of(io.statusreg.registry.keys.VerificationKeys.parse(jwks))
        .withClock(Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  void signsInTheTokenAndRotatesToTheNewerCertificateKeepingTheOldKeyInTheJwks() throws Exception {
    importIntoToken("hsm-2025", "-2d");
    Instant now = Instant.now();

    KeyRing first = source(Map.of()).load(Clock.systemUTC()).orElseThrow();

    SigningKey old = first.active(now);
    assertThat(old.kid()).isEqualTo("hsm-2025");
    assertThat(old.x5c()).as("leaf and intermediate; the root is not sent").hasSize(2);
    String oldToken = sign(old, now);
    JwtStatusListToken verified = verifier(first.publicJwks(now), now).verifyJwt(oldToken);
    assertThat(verified.kid()).isEqualTo("hsm-2025");
    assertThat(verified.claims().list().get(3)).isEqualTo(1);
    assertThat(verified.x5c()).isEqualTo(old.x5c());

    // Rotation: a new key with a newer certificate is added to the token; the node reloads.
    importIntoToken("hsm-2026", "-1d");
    KeyRing second = source(Map.of()).load(Clock.systemUTC()).orElseThrow();
    SigningKey current = second.active(now);
    Instant takeover = current.notBefore();

    assertThat(current.kid()).as("the newer certificate's key signs").isEqualTo("hsm-2026");
    String newToken = sign(current, now);
    String jwks = second.publicJwks(now);
    assertThat(verifier(jwks, now).verifyJwt(newToken).kid()).isEqualTo("hsm-2026");
    assertThat(verifier(jwks, now).verifyJwt(oldToken).kid())
        .as("a token the old key signed still verifies against the JWKS")
        .isEqualTo("hsm-2025");
    assertThat(second.publicJwkSet(takeover.plus(KEEP_OLD).minusSeconds(1)).getKeys()).hasSize(2);
    assertThat(second.publicJwkSet(takeover.plus(KEEP_OLD)).getKeys())
        .as("the old key leaves the JWKS once the keep period after the take-over is over")
        .singleElement()
        .satisfies(k -> assertThat(k.getKeyID()).isEqualTo("hsm-2026"));
  }

  @Test
  void aWrongPinFailsWithoutShowingIt() {
    assertThatThrownBy(
            () ->
                SigningKeySource.from(
                        Settings.of(
                            Map.of(
                                "signing.pkcs11.config",
                                config.toString(),
                                "signing.pkcs11.pin",
                                "9999-wrong")),
                        Optional.empty())
                    .load(Clock.systemUTC()))
        .hasMessageContaining("wrong PIN")
        .hasMessageNotContaining("9999-wrong");
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
