package io.statusreg.compaction.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.fold.ListState;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.Deflater;

/**
 * One list as it was: JSON with its shape, the non-VALID entries ({@code [index, status]} pairs)
 * and the IETF {@code lst} (zlib level 9, base64url without padding), comparable with a token's.
 */
public final class ListExport {
  private static final ObjectMapper JSON = new ObjectMapper();

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
    o.put("lst", lst(list));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("writing list JSON", e);
    }
  }

  /** The list's packed bytes, zlib at level 9, base64url without padding. */
  public static String lst(ListState list) {
    byte[] raw = list.entries().toBytes();
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
    d.setInput(raw);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 4));
    byte[] buf = new byte[64 * 1024];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray());
  }
}
