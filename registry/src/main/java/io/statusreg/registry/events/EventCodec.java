package io.statusreg.registry.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The wire forms of {@link RegistryEvent}, and the only place that knows them, so they can change
 * behind it. {@link #decode} reads both forms (the first byte tells them apart); {@link
 * #encode(RegistryEvent, Format)} writes the one asked for.
 *
 * <p>One schema version counts what a record says, whichever form carries it ({@link #versionOf}):
 * version 1 is the status-list events; version 2 added identifier lists (ISO/IEC 18013-5), a {@code
 * list_created} of kind {@code identifier_list} and the {@code identifier_revoked} event. Only
 * those records are written at version 2; every other event is still written at version 1, so a
 * node that knows only version 1 keeps reading every status list event during a rolling upgrade.
 *
 * <p>{@link Format#JSON}: one JSON object with {@code type}, {@code v}, and the event's fields;
 * times as epoch milliseconds, durations as seconds:
 *
 * <pre>{"v":1,"type":"status_changed","id":"...","list":"issuer/name","idx":42,
 *  "previous":0,"status":1,"reason":"key_compromise","actor":{"kind":"issuer","sub":"..."},
 *  "at":1700000000000}</pre>
 *
 * <p>Version 2 in JSON: a {@code list_created} with {@code "kind":"identifier_list"}, and {@code
 * identifier_revoked} with {@code "slot"}, {@code "identifier"} in unpadded base64url and {@code
 * "reason"}.
 *
 * <p>{@link Format#BINARY}, big-endian, fixed widths, every field lossless:
 *
 * <pre>
 * 0x00 magic (no JSON text starts with NUL)   u8 version (1 or 2, as above)   u8 type
 * (1 list_created, 2 indexes_allocated, 3 status_changed, 4 list_full, 5 list_retired,
 * 6 identifier_revoked, which needs version 2)
 * i64 id msb, i64 id lsb, i64 at (epoch ms), u8 actor kind (1 issuer, 2 operator, 3 system)
 * u16 length + UTF-8 list key (issuer/name), u16 length + UTF-8 actor subject
 * then by type:
 *   list_created       i32 bits, i64 size, i64 ttl s, i64 validity s, u8 purpose (1 revocation,
 *                      2 suspension, 3 message), i64 key k0, i64 key k1,
 *                      and at version 2 only: u8 kind (1 status_list, 2 identifier_list)
 *   indexes_allocated  i64 from, i32 count
 *   status_changed     u8 previous, u8 status, u8 length + ASCII reason code, i64 idx
 *   list_full          i64 cursor
 *   list_retired       nothing
 *   identifier_revoked i64 slot, 16 bytes identifier, u8 length + ASCII reason code
 * </pre>
 *
 * A StatusChanged is about 70 bytes in binary against about 250 in JSON, and decodes without a
 * parser. A node of a release before binary existed (404e031, 2026-12-01) refuses binary records as
 * malformed: the list's owner writes the form of the {@code events.encoding} setting (default
 * binary; json during a rolling upgrade from such a release); {@link #encode(RegistryEvent)} is
 * JSON.
 */
public final class EventCodec {
  /** Schema version of the status-list events, in either form. */
  public static final int VERSION = 1;

  /** Schema version of identifier-list records, in either form. */
  public static final int IDENTIFIER_VERSION = 2;

  /** The first byte of every binary record. */
  static final byte MAGIC = 0x00;

  /** The two wire forms. */
  public enum Format {
    JSON,
    BINARY;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Format parse(String raw) {
      for (Format f : values()) {
        if (f.code().equals(raw)) {
          return f;
        }
      }
      throw new RegistryException.InvalidInput("event encoding must be json or binary");
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private EventCodec() {}

  /**
   * The JSON form, which every release reads (at the event's {@link #versionOf schema version}).
   */
  public static byte[] encode(RegistryEvent event) {
    return encodeJson(event);
  }

  /**
   * The event in the given form. An event whose text holds a lone UTF-16 surrogate (an actor
   * subject taken from a token) is written as JSON whatever the form asked, since UTF-8 cannot
   * carry it and {@link #decode} reads both.
   */
  public static byte[] encode(RegistryEvent event, Format format) {
    return format == Format.BINARY && BinaryEventCodec.encodable(event)
        ? BinaryEventCodec.encode(event)
        : encodeJson(event);
  }

  private static byte[] encodeJson(RegistryEvent event) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", versionOf(event));
    o.put("type", typeOf(event));
    o.put("id", event.id().toString());
    o.put("list", event.listId().key());
    switch (event) {
      case ListCreated e -> {
        o.put("bits", e.bits());
        o.put("size", e.size());
        o.put("ttl", e.ttl().toSeconds());
        o.put("validity", e.validity().toSeconds());
        o.put("purpose", e.purpose().code());
        o.put(
            "key",
            HEX.toHexDigits(e.permutationKey().k0()) + HEX.toHexDigits(e.permutationKey().k1()));
        if (e.kind() != ListKind.STATUS_LIST) {
          o.put("kind", e.kind().code());
        }
      }
      case IndexesAllocated e -> {
        o.put("from", e.fromCursor());
        o.put("count", e.count());
      }
      case StatusChanged e -> {
        o.put("idx", e.idx());
        o.put("previous", e.previous().code());
        o.put("status", e.status().code());
        o.put("reason", e.reason().code());
      }
      case ListFull e -> o.put("cursor", e.cursor());
      case ListRetired e -> {}
      case IdentifierRevoked e -> {
        o.put("slot", e.slot());
        o.put("identifier", B64.encodeToString(e.identifier()));
        o.put("reason", e.reason().code());
      }
    }
    ObjectNode actor = o.putObject("actor");
    actor.put("kind", event.actor().kind().code());
    actor.put("sub", event.actor().subject());
    o.put("at", event.at().toEpochMilli());
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new RegistryException("encoding event " + event.id(), e);
    }
  }

  /** Decodes an event; any malformed input gives {@link RegistryException.InvalidInput}. */
  public static RegistryEvent decode(byte[] bytes) {
    try {
      return decodeUnchecked(bytes);
    } catch (IllegalArgumentException | ArithmeticException e) {
      if (e instanceof RegistryException) {
        throw e;
      }
      throw new RegistryException.InvalidInput("malformed event: " + e.getMessage(), e);
    }
  }

  private static RegistryEvent decodeUnchecked(byte[] bytes) {
    if (bytes != null && bytes.length > 0 && bytes[0] == MAGIC) {
      return BinaryEventCodec.decode(bytes);
    }
    JsonNode o;
    try {
      o = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new RegistryException.InvalidInput("event is not valid JSON", e);
    }
    if (o == null || !o.isObject()) {
      throw new RegistryException.InvalidInput("event must be a JSON object");
    }
    long v = longValue(o, "v");
    if (v != VERSION && v != IDENTIFIER_VERSION) {
      throw new RegistryException.InvalidInput("unsupported event version " + v);
    }
    String type = text(o, "type");
    EventId id = EventId.of(text(o, "id"));
    ListId list = ListId.parse(text(o, "list"));
    JsonNode a = required(o, "actor");
    Actor actor = new Actor(Actor.Kind.parse(text(a, "kind")), text(a, "sub"));
    Instant at = Instant.ofEpochMilli(longValue(o, "at"));
    return switch (type) {
      case "list_created" -> {
        if (o.has("kind") && v < IDENTIFIER_VERSION) {
          // A version 1 reader would take it for a status list: the kind needs version 2.
          throw new RegistryException.InvalidInput(
              "list_created with a kind needs event version 2");
        }
        String key = text(o, "key");
        if (key.length() != 32) {
          throw new RegistryException.InvalidInput("permutation key must be 32 hex digits");
        }
        yield new ListCreated(
            id,
            list,
            intValue(o, "bits"),
            longValue(o, "size"),
            Duration.ofSeconds(longValue(o, "ttl")),
            Duration.ofSeconds(longValue(o, "validity")),
            Purpose.parse(text(o, "purpose")),
            new IndexPermutation.Key(
                HexFormat.fromHexDigitsToLong(key, 0, 16),
                HexFormat.fromHexDigitsToLong(key, 16, 32)),
            actor,
            at,
            o.has("kind") ? ListKind.parse(text(o, "kind")) : ListKind.STATUS_LIST);
      }
      case "identifier_revoked" -> {
        if (v < 2) {
          throw new RegistryException.InvalidInput("identifier_revoked needs event version 2");
        }
        byte[] identifier;
        try {
          identifier = Base64.getUrlDecoder().decode(text(o, "identifier"));
        } catch (IllegalArgumentException e) {
          throw new RegistryException.InvalidInput("identifier must be base64url", e);
        }
        if (identifier.length != IdentifierCipher.IDENTIFIER_BYTES) {
          throw new RegistryException.InvalidInput("identifier must be 16 bytes");
        }
        yield new IdentifierRevoked(
            id, list, longValue(o, "slot"), identifier, Reason.parse(text(o, "reason")), actor, at);
      }
      case "indexes_allocated" ->
          new IndexesAllocated(id, list, longValue(o, "from"), intValue(o, "count"), actor, at);
      case "status_changed" ->
          new StatusChanged(
              id,
              list,
              longValue(o, "idx"),
              Status.fromCode(intValue(o, "previous")),
              Status.fromCode(intValue(o, "status")),
              Reason.parse(text(o, "reason")),
              actor,
              at);
      case "list_full" -> new ListFull(id, list, longValue(o, "cursor"), actor, at);
      case "list_retired" -> new ListRetired(id, list, actor, at);
      default -> throw new RegistryException.InvalidInput("unknown event type " + type);
    };
  }

  public static String typeOf(RegistryEvent event) {
    return switch (event) {
      case ListCreated e -> "list_created";
      case IndexesAllocated e -> "indexes_allocated";
      case StatusChanged e -> "status_changed";
      case ListFull e -> "list_full";
      case ListRetired e -> "list_retired";
      case IdentifierRevoked e -> "identifier_revoked";
    };
  }

  /** The wire version an event is written with: 2 only for what version 1 cannot say. */
  public static int versionOf(RegistryEvent event) {
    return switch (event) {
      case IdentifierRevoked e -> IDENTIFIER_VERSION;
      case ListCreated e when e.kind() != ListKind.STATUS_LIST -> IDENTIFIER_VERSION;
      default -> VERSION;
    };
  }

  private static JsonNode required(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      throw new RegistryException.InvalidInput("event field '" + field + "' is missing");
    }
    return n;
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = required(o, field);
    if (!n.isTextual()) {
      throw new RegistryException.InvalidInput("event field '" + field + "' must be a string");
    }
    return n.asText();
  }

  private static int intValue(JsonNode o, String field) {
    long value = longValue(o, field);
    if (value != (int) value) {
      throw new RegistryException.InvalidInput(
          "event field '" + field + "' is out of range: " + value);
    }
    return (int) value;
  }

  private static long longValue(JsonNode o, String field) {
    JsonNode n = required(o, field);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new RegistryException.InvalidInput("event field '" + field + "' must be an integer");
    }
    return n.asLong();
  }
}
