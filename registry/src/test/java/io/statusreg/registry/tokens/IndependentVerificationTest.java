package io.statusreg.registry.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.statusreg.registry.lists.StatusList;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our tokens checked without our verifier: the JDK's {@code SHA256withECDSA} over the JWS signing
 * input (the JOSE {@code r||s} signature converted to DER by hand), and over a COSE Sig_structure
 * rebuilt with Jackson's CBOR codec from the token's parts as Jackson reads them.
 */
class IndependentVerificationTest {
  private static final StatusList LIST = StatusList.empty(2, 10_000).with(3, 1).with(9_999, 2);

  /** JOSE/COSE ECDSA {@code r||s} to ASN.1 DER {@code SEQUENCE {INTEGER r, INTEGER s}}. */
  static byte[] rawToDer(byte[] raw) {
    int half = raw.length / 2;
    byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, half)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, half, raw.length)).toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int len = 2 + r.length + 2 + s.length;
    out.write(0x30);
    if (len > 127) {
      out.write(0x81);
    }
    out.write(len);
    out.write(0x02);
    out.write(r.length);
    out.writeBytes(r);
    out.write(0x02);
    out.write(s.length);
    out.writeBytes(s);
    return out.toByteArray();
  }

  static boolean jdkVerify(byte[] input, byte[] rawSignature) throws Exception {
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(TestKeys.ES256.publicKey());
    v.update(input);
    return v.verify(rawToDer(rawSignature));
  }

  @Test
  void givenJwtFromOurBuilder_whenCheckedWithJdkSha256WithEcdsa_thenSignatureVerifies()
      throws Exception {
    String jwt =
        JwtStatusListToken.builder()
            .subject("https://issuer.example/statuslists/7")
            .issuedAt(TestKeys.NOW)
            .expiresAt(TestKeys.NOW.plus(Duration.ofHours(1)))
            .ttl(Duration.ofMinutes(10))
            .list(LIST)
            .sign(TestKeys.ES256);
    int lastDot = jwt.lastIndexOf('.');
    byte[] signingInput = jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = Base64.getUrlDecoder().decode(jwt.substring(lastDot + 1));
    String header =
        new String(
            Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
            StandardCharsets.UTF_8);

    assertThat(signature).hasSize(64);
    assertThat(jdkVerify(signingInput, signature)).isTrue();
    signingInput[signingInput.length - 1] ^= 1;
    assertThat(jdkVerify(signingInput, signature)).isFalse();
    assertThat(header)
        .contains("\"typ\":\"statuslist+jwt\"")
        .contains("\"alg\":\"ES256\"")
        .contains("\"kid\":\"es256-1\"");
  }

  @Test
  void givenCwtFromOurBuilder_whenSigStructureIsRebuiltWithJacksonAndCheckedWithJdk_thenVerifies()
      throws Exception {
    byte[] cwt =
        CwtStatusListToken.builder()
            .subject("https://issuer.example/statuslists/7")
            .issuedAt(TestKeys.NOW)
            .expiresAt(TestKeys.NOW.plus(Duration.ofHours(1)))
            .ttl(Duration.ofMinutes(10))
            .list(LIST)
            .sign(TestKeys.ES256);
    CBORFactory factory = new CBORFactory();

    int tag;
    List<byte[]> binaries = new ArrayList<>();
    try (CBORParser p = (CBORParser) factory.createParser(cwt)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      tag = p.getCurrentTag();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == JsonToken.VALUE_EMBEDDED_OBJECT) {
          binaries.add(p.getBinaryValue());
        } else if (t == JsonToken.START_OBJECT) {
          assertThat(p.nextToken())
              .as("unprotected header is empty")
              .isEqualTo(JsonToken.END_OBJECT);
        }
      }
    }
    assertThat(tag).isEqualTo(18);
    assertThat(binaries).hasSize(3);
    byte[] protectedHeader = binaries.get(0);
    byte[] payload = binaries.get(1);
    byte[] signature = binaries.get(2);

    ByteArrayOutputStream sigStructure = new ByteArrayOutputStream();
    try (CBORGenerator g = factory.createGenerator(sigStructure)) {
      g.writeStartArray(null, 4);
      g.writeString("Signature1");
      g.writeBinary(protectedHeader);
      g.writeBinary(new byte[0]);
      g.writeBinary(payload);
      g.writeEndArray();
    }

    assertThat(signature).hasSize(64);
    assertThat(jdkVerify(sigStructure.toByteArray(), signature)).isTrue();
    // The protected header carries alg -7, the content type and the kid.
    try (CBORParser p = (CBORParser) factory.createParser(protectedHeader)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      assertThat(p.nextFieldName()).isEqualTo("1");
      assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_NUMBER_INT);
      assertThat(p.getIntValue()).isEqualTo(-7);
      assertThat(p.nextFieldName()).isEqualTo("16");
      assertThat(p.nextTextValue()).isEqualTo("application/statuslist+cwt");
      assertThat(p.nextFieldName()).isEqualTo("4");
      p.nextToken();
      assertThat(new String(p.getBinaryValue(), StandardCharsets.UTF_8)).isEqualTo("es256-1");
    }
  }
}
