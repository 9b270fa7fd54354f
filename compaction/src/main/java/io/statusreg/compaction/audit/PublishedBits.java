package io.statusreg.compaction.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * What a token on {@code statusreg.tokens} says about a list: its bits and packed entries (decoded
 * from the JWT's {@code lst}), when it was issued, the {@code statusreg.events} offset it covers
 * when the publisher recorded one, and whether its signature verified (empty when no key was
 * available to check it).
 */
public record PublishedBits(
    String listKey,
    String subject,
    int bits,
    byte[] packed,
    Instant issuedAt,
    Optional<Long> coversEventOffset,
    Optional<Boolean> signatureValid,
    Optional<String> kid) {}
