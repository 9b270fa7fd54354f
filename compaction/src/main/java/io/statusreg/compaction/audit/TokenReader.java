package io.statusreg.compaction.audit;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.compaction.audit.AuditReport.Kind;
import io.statusreg.compaction.audit.PublishedBits.Problem;
import io.statusreg.registry.identifiers.IdentifierListToken;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.registry.tokens.TokenException;
import io.statusreg.registry.tokens.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a record of {@code statusreg.tokens} the way the registry writes it ({@link TokenSerde} to
 * a {@link PublishedToken}) and checks it with the registry's own verifier ({@link TokenVerifier}:
 * {@code typ}, {@code alg}, {@code kid}, signature, {@code exp}, then {@code lst} through {@link
 * io.statusreg.registry.tokens.StatusListEncoding}). Both signed representations are verified, and
 * the CWT's list must equal the JWT's: two representations of one publication that disagree mean
 * verifiers see different statuses depending on what they ask for.
 *
 * <p>An expired token is a finding ({@link Kind#EXPIRED_TOKEN}: the publisher stopped refreshing
 * it), and its bits are still compared, verified as of its own {@code iat}.
 *
 * <p>What a token covers is in the record itself: {@link PublishedToken#foldedEvents()}, the number
 * of the list's events folded into it (unknown for records of wire version 1).
 */
public final class TokenReader {
  private final TokenVerifier verifier;

  public TokenReader(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * Decodes and checks one record value; throws {@link
   * io.statusreg.registry.RegistryException.InvalidInput} when the record itself is unreadable.
   */
  public PublishedBits read(String key, byte[] value) {
    PublishedToken token = TokenSerde.fromBytes(value);
    List<Problem> problems = new ArrayList<>();
    TokenVerifier verifier = this.verifier;
    if (StatusList.isValidShape(token.bits(), token.size())) {
      long entries = StatusList.byteLength(token.bits(), token.size()) * (8 / token.bits());
      verifier = verifier.withMaxEntries(Math.max(verifier.maxEntries(), entries));
    }
    if (!token.listId().key().equals(key)) {
      problems.add(
          new Problem(
              Kind.UNREADABLE_TOKEN,
              "record for " + token.listId() + " is stored under key " + key));
    }
    if (token.isIdentifierList()) {
      return identifierList(token, verifier, problems);
    }
    Optional<JwtStatusListToken> jwt =
        verified(
            "JWT",
            token,
            verifier,
            v -> v.verifyJwt(new String(token.jwt(), StandardCharsets.US_ASCII)),
            problems);
    Optional<CwtStatusListToken> cwt =
        token.cwt().length == 0
            ? Optional.empty()
            : verified("CWT", token, verifier, v -> v.verifyCwt(token.cwt()), problems);
    Optional<StatusList> jwtList = jwt.map(t -> t.claims().list());
    if (jwt.isPresent()) {
      var claims = jwt.get().claims();
      if (!claims.subject().equals(token.uri())) {
        problems.add(
            new Problem(
                Kind.REPRESENTATIONS_DIFFER,
                "JWT sub " + claims.subject() + " is not the record's uri " + token.uri()));
      }
      if (claims.bits() != token.bits()) {
        problems.add(
            new Problem(
                Kind.REPRESENTATIONS_DIFFER,
                "JWT bits=" + claims.bits() + ", the record says bits=" + token.bits()));
      }
    }
    if (jwt.isPresent() && cwt.isPresent()) {
      StatusList a = jwt.get().claims().list();
      StatusList b = cwt.get().claims().list();
      if (a.bits() != b.bits() || !java.util.Arrays.equals(a.toBytes(), b.toBytes())) {
        List<AuditReport.Difference> diffs = new ArrayList<>();
        long n =
            a.bits() == b.bits() && a.byteLength() == b.byteLength()
                ? Auditor.differences(a.bits(), a.toBytes(), b.toBytes(), diffs, 1)
                : -1;
        problems.add(
            new Problem(
                Kind.REPRESENTATIONS_DIFFER,
                n < 0
                    ? "CWT list (bits="
                        + b.bits()
                        + ", "
                        + b.byteLength()
                        + " bytes) differs in shape from the JWT list (bits="
                        + a.bits()
                        + ", "
                        + a.byteLength()
                        + " bytes)"
                    : "CWT and JWT lists differ in "
                        + n
                        + " entries (first: index "
                        + diffs.getFirst().idx()
                        + ", JWT says "
                        + diffs.getFirst().expected()
                        + ", CWT says "
                        + diffs.getFirst().published()
                        + ")"));
      }
      if (!jwt.get().claims().subject().equals(cwt.get().claims().subject())) {
        problems.add(new Problem(Kind.REPRESENTATIONS_DIFFER, "CWT sub differs from JWT sub"));
      }
    }
    return new PublishedBits(token, jwtList, problems);
  }

  /**
   * An ISO/IEC 18013-5 identifier list: its CWT verified against the trusted key of its {@code kid}
   * (the {@code x5chain} leaf must hold that key), as of its own {@code iat} when it has expired.
   */
  private static PublishedBits identifierList(
      PublishedToken token, TokenVerifier verifier, List<Problem> problems) {
    Optional<io.statusreg.registry.keys.VerificationKeys.Key> key =
        verifier.keys().find(token.kid());
    if (key.isEmpty()) {
      problems.add(
          new Problem(
              Kind.UNREADABLE_TOKEN, "identifier list: kid " + token.kid() + " is unknown"));
      return new PublishedBits(token, Optional.empty(), problems);
    }
    java.time.Instant now = verifier.clock().instant();
    IdentifierListToken read;
    try {
      if (!now.isBefore(token.expiresAt())) {
        problems.add(
            new Problem(Kind.EXPIRED_TOKEN, "identifier list expired at " + token.expiresAt()));
        now = token.issuedAt();
      }
      read = IdentifierListToken.verify(token.cwt(), key.get().publicKey(), now);
    } catch (TokenException e) {
      problems.add(new Problem(Kind.UNREADABLE_TOKEN, "identifier list: " + e.getMessage()));
      return new PublishedBits(token, Optional.empty(), problems);
    }
    if (!read.subject().equals(token.uri())) {
      problems.add(
          new Problem(
              Kind.REPRESENTATIONS_DIFFER,
              "identifier list sub " + read.subject() + " is not the record's uri " + token.uri()));
    }
    return new PublishedBits(token, Optional.empty(), problems, Optional.of(read.identifiers()));
  }

  /**
   * Verifies one representation; an expired one is verified again as of its own {@code iat} so that
   * its bits can still be compared.
   */
  private static <T> Optional<T> verified(
      String what,
      PublishedToken token,
      TokenVerifier verifier,
      Function<TokenVerifier, T> verify,
      List<Problem> out) {
    try {
      return Optional.of(verify.apply(verifier));
    } catch (TokenException e) {
      if (e.reason() == TokenException.Reason.EXPIRED) {
        out.add(new Problem(Kind.EXPIRED_TOKEN, what + ": " + e.getMessage()));
        try {
          return Optional.of(
              verify.apply(verifier.withClock(Clock.fixed(token.issuedAt(), ZoneOffset.UTC))));
        } catch (TokenException again) {
          e = again;
        }
      }
      out.add(new Problem(kindOf(e.reason()), what + " " + e.reason() + ": " + e.getMessage()));
      return Optional.empty();
    }
  }

  private static Kind kindOf(TokenException.Reason reason) {
    return switch (reason) {
      case BAD_SIGNATURE, UNKNOWN_KID, WRONG_ALG -> Kind.BAD_SIGNATURE;
      case EXPIRED -> Kind.EXPIRED_TOKEN;
      default -> Kind.UNREADABLE_TOKEN;
    };
  }
}
