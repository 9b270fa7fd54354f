package io.statusreg.compaction.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.tokens.StatusListEncoding;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * One list as it was: JSON with its shape and kind, the non-VALID entries ({@code [index, status]}
 * pairs) and, for a status list, the IETF {@code lst} (zlib level 9, base64url without padding),
 * comparable with a token's; for an identifier list ({@code nonValid} then holds its revoked slots)
 * {@code revokedIdentifiers} instead, each revoked slot's identifier (16 bytes, base64url without
 * padding), comparable with the identifiers of its CWT.
 */
public final class ListExport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private ListExport() {}

  public static byte[] json(ListState list, Optional<Instant> asOf) {
    ObjectNode o = JSON.createObjectNode();
    o.put("list", list.meta().listId().key());
    o.put("bits", list.meta().bits());
    o.put("size", list.meta().size());
    o.put("cursor", list.meta().cursor());
    o.put("version", list.meta().version());
    o.put("updatedAt", list.meta().updatedAt().toString());
    asOf.ifPresent(t -> o.put("asOf", t.toString()));
    ArrayNode entries = o.putArray("nonValid");
    list.entries()
        .forEachNonZero(
            idx -> {
              ArrayNode pair = entries.addArray();
              pair.add(idx);
              pair.add(list.entries().get(idx));
            });
    o.put("kind", list.meta().kind().code());
    if (list.meta().isIdentifierList()) {
      // What the identifier list's CWT holds: each revoked slot's identifier (no lst: the list is
      // published as identifiers, never as a status list).
      IdentifierCipher.Batch cipher = list.meta().identifiers().batch();
      ArrayNode revoked = o.putArray("revokedIdentifiers");
      list.entries()
          .forEachNonZero(slot -> revoked.add(B64.encodeToString(cipher.identifier(slot))));
    } else {
      o.put("lst", lst(list));
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("writing list JSON", e);
    }
  }

  /** The list's IETF {@code lst}: zlib at level 9 (the reference level), base64url. */
  public static String lst(ListState list) {
    return StatusListEncoding.REFERENCE.encode(list.entries());
  }
}
