package io.statusreg.chaos.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

class StatusListTokenTest {

  /** The IETF draft's 2-bit example: status[0]=1, [1]=2, [2]=0, [3]=3, [4]=0, [5]=1 ... */
  @Test
  void readsTwoBitEntriesInIetfOrderFromASignedToken() throws Exception {
    byte[] raw = {(byte) 0xC9, (byte) 0x44, (byte) 0xF9};
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    String jwt = sign(key, 2, raw);

    StatusListToken token = StatusListToken.parse(jwt, key.toPublicJWK());

    assertThat(token.bits()).isEqualTo(2);
    assertThat(
            new int[] {
              token.status(0), token.status(1), token.status(2), token.status(3),
              token.status(4), token.status(5), token.status(6), token.status(7),
              token.status(8), token.status(9), token.status(10), token.status(11)
            })
        .containsExactly(1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3);
  }

  @Test
  void refusesATokenSignedByAnotherKey() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID("o").generate();
    String jwt = sign(key, 1, new byte[] {1});

    assertThatThrownBy(() -> StatusListToken.parse(jwt, other.toPublicJWK()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature");
  }

  private static String sign(ECKey key, int bits, byte[] raw) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(9))) {
      z.write(raw);
    }
    String lst = Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k").build(),
            new JWTClaimsSet.Builder()
                .subject("https://example.com/statuslists/1")
                .issueTime(new java.util.Date())
                .claim("status_list", Map.of("bits", bits, "lst", lst))
                .build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }
}
