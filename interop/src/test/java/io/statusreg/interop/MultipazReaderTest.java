package io.statusreg.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.Status;
import io.statusreg.registry.identifiers.DevelopmentCertificate;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListEncoding;
import io.statusreg.registry.identifiers.IdentifierListToken;
import io.statusreg.registry.identifiers.MsoEntry;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kotlin.coroutines.EmptyCoroutineContext;
import kotlinx.coroutines.BuildersKt;
import kotlinx.io.bytestring.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.multipaz.cbor.Cbor;
import org.multipaz.cbor.DataItem;
import org.multipaz.crypto.X509Cert;
import org.multipaz.revocation.IdentifierList;
import org.multipaz.revocation.RevocationStatus;

/**
 * OpenWallet Foundation's Multipaz (0.102.0, the JVM build of its Kotlin library) reads what the
 * registry signs, as a wallet or relying party would: ISO/IEC 18013-5 identifier lists (with the
 * signature checked against the certificate in {@code x5chain}) and the mdoc status list path (CWT,
 * bits 1), and the MSO entry the issuer embeds.
 *
 * <p>Multipaz's suspending readers have Kotlin-mangled names ({@code fromCwt-myKFqkg}, an inline
 * {@code Duration} parameter), so they are called by reflection inside {@code runBlocking}, with
 * Kotlin's defaults for the time and the maximum validity.
 */
class MultipazReaderTest {
  private static final String URI = "https://status.example/statuslists/demo/idl";
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ES256", "ES384", "ES512", "EDDSA"})
  void multipazReadsAnIdentifierListAndFindsExactlyTheRevokedIdentifiers(SignatureAlgorithm alg)
      throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SigningKey key = SigningKey.generate(alg, "k-" + alg.jose(), now);
    byte[] cert =
        DevelopmentCertificate.selfSigned(key, "statusreg dev", now, now.plus(Duration.ofDays(30)));
    IdentifierCipher cipher = new IdentifierCipher(IndexPermutation.Key.random(RANDOM));
    StatusList revoked = StatusList.empty(1, 100_000);
    long[] revokedSlots = {0, 7, 31_999, 32_768, 99_999};
    for (long s : revokedSlots) {
      revoked = revoked.with(s, 1);
    }
    var encoded = new IdentifierListEncoding(0).encode("demo/idl", revoked, cipher);
    byte[] cwt =
        IdentifierListToken.builder()
            .subject(URI)
            .issuedAt(now)
            .expiresAt(now.plus(Duration.ofHours(1)))
            .ttl(Duration.ofMinutes(5))
            .encodedIdentifiers(encoded.map())
            .sign(key, List.of(cert));

    IdentifierList read = identifierList(cwt, new X509Cert(bs(cert)));

    for (long s : revokedSlots) {
      assertThat(read.contains(bs(cipher.identifier(s)))).as("slot " + s).isTrue();
    }
    for (long s : new long[] {1, 6, 8, 32_767, 32_769, 99_998}) {
      assertThat(read.contains(bs(cipher.identifier(s)))).as("slot " + s).isFalse();
    }
    assertThat(IdentifierList.Companion.fromCwtNoTrust(cwt).contains(bs(cipher.identifier(7))))
        .isTrue();
  }

  @Test
  void multipazReadsWhatThePublishersSignerMakesWithTheDevelopmentCertificate() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    var keys = io.statusreg.registry.keys.SigningKeys.development(java.time.Clock.systemUTC());
    var signer =
        new io.statusreg.streams.publication.RegistryListSigner(keys, 6, "https://status.example");
    IdentifierCipher cipher = new IdentifierCipher(IndexPermutation.Key.random(RANDOM));
    StatusList revoked = StatusList.empty(1, 1000).with(2, 1).with(999, 1);
    var signed =
        signer.signIdentifiers(
            io.statusreg.registry.ListId.of("demo", "idl"),
            URI,
            revoked,
            cipher,
            Duration.ofMinutes(5),
            now,
            now.plus(Duration.ofHours(1)));
    assertThat(signed.jwt()).isEmpty();
    byte[] leaf =
        IdentifierListToken.verify(signed.cwt(), null, now).chain().getFirst().getEncoded();

    IdentifierList read = identifierList(signed.cwt(), new X509Cert(bs(leaf)));

    assertThat(read.contains(bs(cipher.identifier(2)))).isTrue();
    assertThat(read.contains(bs(cipher.identifier(999)))).isTrue();
    assertThat(read.contains(bs(cipher.identifier(3)))).isFalse();
  }

  /**
   * What {@code statusreg dev} serves since its key carries a chain (a leaf under a development CA,
   * the CA left out): the publisher's own 1-bit status list CWT (the mdoc status list path) and
   * identifier list both carry that leaf in {@code x5chain}, the leaf is signed by the CA, and
   * Multipaz reads both under it.
   */
  @Test
  void multipazReadsThePublishersStatusListAndIdentifierListUnderACaIssuedLeaf() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SigningKey ca = SigningKey.generate(SignatureAlgorithm.ES256, "dev-ca", now);
    byte[] anchor =
        DevelopmentCertificate.authority(
            ca, "dev CA", now.minusSeconds(60), now.plusSeconds(86_400));
    SigningKey bare = SigningKey.generate(SignatureAlgorithm.ES256, "dev-signing", now);
    byte[] leaf =
        DevelopmentCertificate.issued(
            bare.publicKey(),
            "dev signer",
            ca,
            "dev CA",
            now.minusSeconds(60),
            now.plusSeconds(86_400));
    SigningKey key = bare.withX5c(List.of(com.nimbusds.jose.util.Base64.encode(leaf)));
    var keys =
        new io.statusreg.registry.keys.SigningKeys(
            java.time.Clock.systemUTC(), io.statusreg.registry.keys.KeyRing.of(key));
    var signer =
        new io.statusreg.streams.publication.RegistryListSigner(keys, 6, "https://status.example");
    var demo = io.statusreg.registry.ListId.of("demo", "mdoc");
    StatusList entries = StatusList.empty(1, 65_536).with(7, 1).with(65_535, 1);

    var status =
        signer.sign(
            demo,
            URI,
            entries,
            io.statusreg.registry.events.Purpose.REVOCATION,
            Duration.ofMinutes(5),
            now,
            now.plus(Duration.ofHours(1)));
    IdentifierCipher cipher = new IdentifierCipher(IndexPermutation.Key.random(RANDOM));
    var identifiers =
        signer.signIdentifiers(
            io.statusreg.registry.ListId.of("demo", "idl"),
            URI,
            StatusList.empty(1, 1000).with(5, 1),
            cipher,
            Duration.ofMinutes(5),
            now,
            now.plus(Duration.ofHours(1)));

    byte[] carried =
        IdentifierListToken.verify(identifiers.cwt(), null, now).chain().getFirst().getEncoded();
    assertThat(carried).as("the identifier list carries the key's leaf").isEqualTo(leaf);
    java.security.cert.X509Certificate parsed =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(carried));
    parsed.verify(
        java.security.cert.CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(anchor))
            .getPublicKey());

    Object list = statusList(status.cwt(), new X509Cert(bs(leaf)));
    Method get = list.getClass().getMethod("get", int.class);
    assertThat((int) get.invoke(list, 7)).isEqualTo(1);
    assertThat((int) get.invoke(list, 8)).isEqualTo(0);
    assertThat((int) get.invoke(list, 65_535)).isEqualTo(1);
    assertThat(
            identifierList(identifiers.cwt(), new X509Cert(bs(leaf)))
                .contains(bs(cipher.identifier(5))))
        .isTrue();
    assertThat(
            identifierList(identifiers.cwt(), new X509Cert(bs(leaf)))
                .contains(bs(cipher.identifier(6))))
        .isFalse();
  }

  @Test
  void multipazRefusesAnIdentifierListWhoseSignatureWasTamperedWith() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SigningKey key = SigningKey.generate(now);
    byte[] cert =
        DevelopmentCertificate.selfSigned(key, "statusreg dev", now, now.plus(Duration.ofDays(1)));
    byte[] cwt =
        IdentifierListToken.builder()
            .subject(URI)
            .issuedAt(now)
            .expiresAt(now.plus(Duration.ofHours(1)))
            .identifiers(List.of(new byte[16]))
            .sign(key, List.of(cert));
    byte[] tampered = cwt.clone();
    tampered[tampered.length - 1] ^= 0x01;

    assertThat(identifierList(cwt, new X509Cert(bs(cert))).contains(bs(new byte[16]))).isTrue();
    assertThatThrownBy(() -> identifierList(tampered, new X509Cert(bs(cert))))
        .as("refused for its signature, not for any other reason")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature verification failed");
  }

  @Test
  void multipazParsesTheMsoEntryTheIssuerEmbeds() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);

    DataItem item = Cbor.INSTANCE.decode(MsoEntry.identifierList(id, URI, null));
    RevocationStatus status = RevocationStatus.Companion.fromDataItem(item);

    assertThat(status).isInstanceOf(RevocationStatus.IdentifierList.class);
    RevocationStatus.IdentifierList il = (RevocationStatus.IdentifierList) status;
    assertThat(il.getId().toByteArray(0, il.getId().getSize())).isEqualTo(id);
    assertThat(il.getUri()).isEqualTo(URI);
    assertThat(il.getCertificate()).isNull();
  }

  /**
   * The entry issued when a separate list signer signs the lists ({@code signing.status.eku}):
   * Multipaz reads its {@code certificate} as the signer's X.509 certificate.
   */
  @Test
  void multipazReadsTheListSignerCertificateOfTheMsoEntry() throws Exception {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256, "list-signer", now);
    byte[] der = DevelopmentCertificate.selfSigned(key, "list signer", now, now.plusSeconds(3600));

    DataItem item = Cbor.INSTANCE.decode(MsoEntry.identifierList(id, URI, der));
    RevocationStatus.IdentifierList il =
        (RevocationStatus.IdentifierList) RevocationStatus.Companion.fromDataItem(item);

    assertThat(il.getUri()).isEqualTo(URI);
    assertThat(il.getId().toByteArray(0, il.getId().getSize())).isEqualTo(id);
    ByteString encoded = il.getCertificate().getEncoded();
    assertThat(encoded.toByteArray(0, encoded.getSize())).isEqualTo(der);
  }

  @Test
  void multipazReadsTheMsoStatusListEntryWithItsCertificate() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256, "list-signer", now);
    byte[] der = DevelopmentCertificate.selfSigned(key, "list signer", now, now.plusSeconds(3600));

    RevocationStatus.StatusList plain =
        (RevocationStatus.StatusList)
            RevocationStatus.Companion.fromDataItem(
                Cbor.INSTANCE.decode(MsoEntry.statusList(70_000, URI, null)));
    RevocationStatus.StatusList signed =
        (RevocationStatus.StatusList)
            RevocationStatus.Companion.fromDataItem(
                Cbor.INSTANCE.decode(MsoEntry.statusList(5, URI, der)));

    assertThat(plain.getIdx()).isEqualTo(70_000);
    assertThat(plain.getUri()).isEqualTo(URI);
    assertThat(plain.getCertificate()).isNull();
    assertThat(signed.getIdx()).isEqualTo(5);
    ByteString encoded = signed.getCertificate().getEncoded();
    assertThat(encoded.toByteArray(0, encoded.getSize())).isEqualTo(der);
  }

  @Test
  void multipazReadsTheMdocStatusListPathWithOneBitEntries() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    com.nimbusds.jose.jwk.ECKey jwk =
        new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
            .keyID("mdoc-status")
            .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
            .generate();
    byte[] cert =
        DevelopmentCertificate.selfSigned(
            SigningKey.fromJwk(jwk), "statusreg dev", now, now.plus(Duration.ofDays(1)));
    SigningKey key =
        SigningKey.fromJwk(
            new com.nimbusds.jose.jwk.ECKey.Builder(jwk)
                .x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode(cert)))
                .build());
    StatusList list = StatusList.empty(1, 65_536);
    List<Integer> invalid = new ArrayList<>(List.of(3, 4096, 65_535));
    for (int i : invalid) {
      list = list.with(i, Status.INVALID.code());
    }
    byte[] cwt =
        CwtStatusListToken.builder()
            .subject(URI)
            .issuedAt(now)
            .expiresAt(now.plus(Duration.ofHours(1)))
            .ttl(Duration.ofMinutes(5))
            .list(list)
            .sign(key);

    Object read = statusList(cwt, new X509Cert(bs(cert)));
    Method get = read.getClass().getMethod("get", int.class);
    for (int i : new int[] {0, 2, 3, 4, 4095, 4096, 4097, 65_534, 65_535}) {
      int expected = invalid.contains(i) ? 1 : 0;
      assertThat((int) get.invoke(read, i)).as("index " + i).isEqualTo(expected);
    }
  }

  private static ByteString bs(byte[] bytes) {
    return new ByteString(bytes, 0, bytes.length);
  }

  private static IdentifierList identifierList(byte[] cwt, X509Cert trusted) throws Exception {
    return (IdentifierList) callReader(IdentifierList.Companion, cwt, trusted);
  }

  private static Object statusList(byte[] cwt, X509Cert trusted) throws Exception {
    return callReader(org.multipaz.revocation.StatusList.Companion, cwt, trusted);
  }

  /**
   * {@code Companion.fromCwt(cwt, trusted, checks = {}, atTime = default, maxValidity = default)}.
   */
  private static Object callReader(Object companion, byte[] cwt, X509Cert trusted)
      throws Exception {
    Method m = null;
    for (Method candidate : companion.getClass().getMethods()) {
      if (candidate.getName().startsWith("fromCwt-") && candidate.getName().endsWith("$default")) {
        m = candidate;
      }
    }
    assertThat(m).as("Multipaz's fromCwt").isNotNull();
    Method reader = m;
    try {
      return BuildersKt.runBlocking(
          EmptyCoroutineContext.INSTANCE,
          (scope, continuation) -> {
            try {
              // defaults mask: bit 3 = atTime, bit 4 = maxValidity
              return reader.invoke(
                  null, companion, cwt, trusted, Map.of(), null, 0L, continuation, 24, null);
            } catch (InvocationTargetException e) {
              throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          });
    } catch (IllegalStateException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
