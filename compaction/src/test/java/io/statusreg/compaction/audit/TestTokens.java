package io.statusreg.compaction.audit;

import io.statusreg.registry.ListId;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.streams.PublishedToken;
import io.statusreg.streams.serde.TokenSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Token records as the publisher writes them: JWT and CWT signed by the registry's builders,
 * wrapped in a {@link PublishedToken} and encoded with {@link TokenSerde}. The CWT may be given a
 * different list, to make the two representations disagree.
 */
public final class TestTokens {
  private TestTokens() {}

  public static String uri(ListId list) {
    return "https://status.example/statuslists/" + list.key();
  }

  public static PublishedToken token(
      SigningKey key, ListId list, StatusList jwtList, StatusList cwtList, Instant iat) {
    Instant exp = iat.plus(Duration.ofHours(1));
    Duration ttl = Duration.ofMinutes(5);
    String jwt =
        JwtStatusListToken.builder()
            .subject(uri(list))
            .issuedAt(iat)
            .expiresAt(exp)
            .ttl(ttl)
            .list(jwtList)
            .sign(key);
    byte[] cwt =
        CwtStatusListToken.builder()
            .subject(uri(list))
            .issuedAt(iat)
            .expiresAt(exp)
            .ttl(ttl)
            .list(cwtList)
            .sign(key);
    return new PublishedToken(
        list,
        uri(list),
        1,
        jwtList.bits(),
        jwtList.size(),
        0,
        jwtList.histogram(),
        iat,
        exp,
        ttl,
        key.kid(),
        "\"v1\"",
        jwt.getBytes(StandardCharsets.US_ASCII),
        cwt,
        new byte[0],
        null);
  }

  public static byte[] record(
      SigningKey key, ListId list, StatusList jwtList, StatusList cwtList, Instant iat) {
    return TokenSerde.toBytes(token(key, list, jwtList, cwtList, iat));
  }
}
