package io.statusreg.compaction.audit;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.registry.ListId;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
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

  /** A token that does not say how many events it covers. */
  public static PublishedToken token(
      SigningKey key, ListId list, StatusList jwtList, StatusList cwtList, Instant iat) {
    return token(key, list, jwtList, cwtList, iat, PublishedToken.UNKNOWN_FOLDED_EVENTS);
  }

  /** A token that covers the list's first {@code foldedEvents} events. */
  public static PublishedToken token(
      SigningKey key,
      ListId list,
      StatusList jwtList,
      StatusList cwtList,
      Instant iat,
      long foldedEvents) {
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
        null,
        foldedEvents);
  }

  public static byte[] record(
      SigningKey key, ListId list, StatusList jwtList, StatusList cwtList, Instant iat) {
    return TokenSerde.toBytes(token(key, list, jwtList, cwtList, iat));
  }

  public static byte[] record(
      SigningKey key,
      ListId list,
      StatusList jwtList,
      StatusList cwtList,
      Instant iat,
      long foldedEvents) {
    return TokenSerde.toBytes(token(key, list, jwtList, cwtList, iat, foldedEvents));
  }

  /**
   * The record as a publisher of wire version 1 wrote it: version 2's layout without the trailing
   * folded event count.
   */
  public static byte[] recordVersion1(
      SigningKey key, ListId list, StatusList jwtList, StatusList cwtList, Instant iat) {
    byte[] v2 = TokenSerde.toBytes(token(key, list, jwtList, cwtList, iat, 0));
    byte[] v1 = java.util.Arrays.copyOf(v2, v2.length - Long.BYTES);
    v1[0] = TokenSerde.VERSION_1;
    return v1;
  }
}
