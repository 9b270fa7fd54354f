package io.statusreg.streams.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.common.wire.WireSerde;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.RegistryCommand.AllocateIndexes;
import io.statusreg.registry.fold.RegistryCommand.ChangeStatus;
import io.statusreg.registry.fold.RegistryCommand.CreateList;
import io.statusreg.registry.fold.RegistryCommand.RetireList;
import io.statusreg.registry.fold.RegistryCommand.RevokeIdentifiers;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Values of {@code statusreg.commands}: versioned JSON, {@code {"v":1,"type":"change_status",
 * "id":"<command uuid>","list":"issuer/name","changes":[{"idx":7,"status":1,"reason":"fraud"}],
 * "actor":{...},"at":<epoch ms>}}; durations in whole seconds (as in events), so a command and its
 * events agree.
 */
public final class RequestSerde extends WireSerde<Request> {
  public static final int VERSION = 1;
  private static final HexFormat HEX = HexFormat.of();

  @Override
  protected byte[] encode(Request value) {
    return toBytes(value);
  }

  @Override
  protected Request decode(byte[] bytes) {
    return fromBytes(bytes);
  }

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  public static byte[] toBytes(Request request) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("v", VERSION);
    switch (request) {
      case Request.ReadEntry r -> {
        o.put("type", "read_entry");
        o.put("list", r.listId().key());
        o.put("idx", r.idx());
      }
      case Request.Decide d -> writeCommand(o, d.command());
    }
    return Json.write(o);
  }

  private static void writeCommand(ObjectNode o, RegistryCommand command) {
    o.put("type", typeOf(command));
    o.put("id", command.commandId().toString());
    o.put("list", command.listId().key());
    switch (command) {
      case CreateList c -> {
        o.put("bits", c.bits());
        o.put("size", c.size());
        o.put("ttl", c.ttl().toSeconds());
        o.put("validity", c.validity().toSeconds());
        o.put("purpose", c.purpose().code());
        o.put(
            "key",
            HEX.toHexDigits(c.permutationKey().k0()) + HEX.toHexDigits(c.permutationKey().k1()));
        if (c.kind() != ListKind.STATUS_LIST) {
          o.put("kind", c.kind().code());
        }
      }
      case AllocateIndexes c -> {
        o.put("count", c.count());
        // Optional: the previous release ignores it (and allocates on either kind), and reads
        // a command without it as before.
        if (c.kind() != null) {
          o.put("kind", c.kind().code());
        }
      }
      case RevokeIdentifiers c -> {
        ArrayNode ids = o.putArray("identifiers");
        c.identifiers().forEach(id -> ids.add(B64.encodeToString(id)));
        o.put("reason", c.reason().code());
      }
      case ChangeStatus c -> {
        ArrayNode changes = o.putArray("changes");
        for (RegistryCommand.Change change : c.changes()) {
          ObjectNode ch = changes.addObject();
          ch.put("idx", change.idx());
          ch.put("status", change.status().code());
          ch.put("reason", change.reason().code());
        }
      }
      case RetireList c -> {}
    }
    Json.putActor(o, command.actor());
    o.put("at", command.at().toEpochMilli());
  }

  public static Request fromBytes(byte[] bytes) {
    return Json.decoding(
        "command",
        () -> {
          JsonNode o = Json.parse(bytes, "command");
          Json.checkVersion(o, VERSION, "command");
          String type = Json.text(o, "type");
          ListId list = ListId.parse(Json.text(o, "list"));
          if (type.equals("read_entry")) {
            return new Request.ReadEntry(list, Json.longValue(o, "idx"));
          }
          UUID id = UUID.fromString(Json.text(o, "id"));
          var actor = Json.actor(o);
          Instant at = Instant.ofEpochMilli(Json.longValue(o, "at"));
          RegistryCommand command =
              switch (type) {
                case "create_list" -> {
                  String key = Json.text(o, "key");
                  if (key.length() != 32) {
                    throw new RegistryException.InvalidInput(
                        "permutation key must be 32 hex digits");
                  }
                  yield new CreateList(
                      id,
                      list,
                      Json.intValue(o, "bits"),
                      Json.longValue(o, "size"),
                      Duration.ofSeconds(Json.longValue(o, "ttl")),
                      Duration.ofSeconds(Json.longValue(o, "validity")),
                      Purpose.parse(Json.text(o, "purpose")),
                      new IndexPermutation.Key(
                          HexFormat.fromHexDigitsToLong(key, 0, 16),
                          HexFormat.fromHexDigitsToLong(key, 16, 32)),
                      actor,
                      at,
                      o.has("kind") ? ListKind.parse(Json.text(o, "kind")) : ListKind.STATUS_LIST);
                }
                case "revoke_identifiers" -> {
                  JsonNode arr = Json.required(o, "identifiers");
                  if (!arr.isArray()) {
                    throw new RegistryException.InvalidInput(
                        "field 'identifiers' must be an array");
                  }
                  List<byte[]> ids = new ArrayList<>(arr.size());
                  for (JsonNode item : arr) {
                    if (!item.isTextual()) {
                      throw new RegistryException.InvalidInput("identifiers must be base64url");
                    }
                    ids.add(Base64.getUrlDecoder().decode(item.asText()));
                  }
                  yield new RevokeIdentifiers(
                      id, list, ids, Reason.parse(Json.text(o, "reason")), actor, at);
                }
                case "allocate_indexes" ->
                    new AllocateIndexes(
                        id,
                        list,
                        Json.intValue(o, "count"),
                        actor,
                        at,
                        o.has("kind") ? ListKind.parse(Json.text(o, "kind")) : null);
                case "change_status" -> {
                  JsonNode arr = Json.required(o, "changes");
                  if (!arr.isArray()) {
                    throw new RegistryException.InvalidInput("field 'changes' must be an array");
                  }
                  List<RegistryCommand.Change> changes = new ArrayList<>(arr.size());
                  for (JsonNode ch : arr) {
                    changes.add(
                        new RegistryCommand.Change(
                            Json.longValue(ch, "idx"),
                            Status.fromCode(Json.intValue(ch, "status")),
                            Reason.parse(Json.text(ch, "reason"))));
                  }
                  yield new ChangeStatus(id, list, changes, actor, at);
                }
                case "retire_list" -> new RetireList(id, list, actor, at);
                default -> throw new RegistryException.InvalidInput("unknown command type " + type);
              };
          return new Request.Decide(command);
        });
  }

  public static String typeOf(RegistryCommand command) {
    return switch (command) {
      case CreateList c -> "create_list";
      case AllocateIndexes c -> "allocate_indexes";
      case ChangeStatus c -> "change_status";
      case RetireList c -> "retire_list";
      case RevokeIdentifiers c -> "revoke_identifiers";
    };
  }
}
