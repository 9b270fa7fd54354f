package io.statusreg.streams.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * {@link ListMeta} as versioned JSON: the {@code list-meta} store's values and part of replies.
 * Version 2 adds {@code "kind"} and is written only for identifier lists, so the metadata of a
 * status list is still version 1, byte for byte.
 */
public final class ListMetaCodec {
  public static final int VERSION = 2;
  private static final int V1 = 1;
  private static final HexFormat HEX = HexFormat.of();

  private ListMetaCodec() {}

  public static byte[] encode(ListMeta meta) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("v", meta.isIdentifierList() ? VERSION : V1);
    write(o, meta);
    return Json.write(o);
  }

  public static ListMeta decode(byte[] bytes) {
    return Json.decoding(
        "list metadata",
        () -> {
          JsonNode o = Json.parse(bytes, "list metadata");
          if (Json.intValue(o, "v") != V1) {
            Json.checkVersion(o, VERSION, "list metadata");
          }
          return read(o);
        });
  }

  static void write(ObjectNode o, ListMeta m) {
    o.put("list", m.listId().key());
    o.put("bits", m.bits());
    o.put("size", m.size());
    o.put("ttl", m.ttl().toMillis());
    o.put("validity", m.validity().toMillis());
    o.put("purpose", m.purpose().code());
    o.put(
        "key", HEX.toHexDigits(m.permutationKey().k0()) + HEX.toHexDigits(m.permutationKey().k1()));
    o.put("cursor", m.cursor());
    o.put("full", m.full());
    o.put("retired", m.retired());
    o.put("version", m.version());
    o.put("ignored", m.ignored());
    o.put("created", m.createdAt().toEpochMilli());
    o.put("updated", m.updatedAt().toEpochMilli());
    if (m.isIdentifierList()) {
      o.put("kind", m.kind().code());
    }
  }

  static ListMeta read(JsonNode o) {
    String key = Json.text(o, "key");
    if (key.length() != 32) {
      throw new io.statusreg.registry.RegistryException.InvalidInput(
          "permutation key must be 32 hex digits");
    }
    return new ListMeta(
        ListId.parse(Json.text(o, "list")),
        Json.intValue(o, "bits"),
        Json.longValue(o, "size"),
        Duration.ofMillis(Json.longValue(o, "ttl")),
        Duration.ofMillis(Json.longValue(o, "validity")),
        Purpose.parse(Json.text(o, "purpose")),
        new IndexPermutation.Key(
            HexFormat.fromHexDigitsToLong(key, 0, 16), HexFormat.fromHexDigitsToLong(key, 16, 32)),
        Json.longValue(o, "cursor"),
        Json.bool(o, "full"),
        Json.bool(o, "retired"),
        Json.longValue(o, "version"),
        Json.longValue(o, "ignored"),
        Instant.ofEpochMilli(Json.longValue(o, "created")),
        Instant.ofEpochMilli(Json.longValue(o, "updated")),
        o.has("kind") ? ListKind.parse(Json.text(o, "kind")) : ListKind.STATUS_LIST);
  }
}
