package io.statusreg.streams.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.streams.CommandGateway.EntryView;
import io.statusreg.streams.CommandGateway.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Values of {@code statusreg.replies}: versioned JSON. An outcome carries the decision (accepted
 * events in {@link EventCodec}'s form, or the rejection), the allocated indexes, the list's
 * metadata after the command and the expected publication time.
 */
public final class ReplySerde extends WireSerde<Reply> {
  public static final int VERSION = 1;

  @Override
  protected byte[] encode(Reply value) {
    return toBytes(value);
  }

  @Override
  protected Reply decode(byte[] bytes) {
    return fromBytes(bytes);
  }

  public static byte[] toBytes(Reply reply) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("v", VERSION);
    switch (reply) {
      case Reply.Decided d -> {
        o.put("type", "outcome");
        Outcome out = d.outcome();
        ObjectNode decision = o.putObject("decision");
        switch (out.decision()) {
          case Decision.Accepted a -> {
            decision.put("accepted", true);
            ArrayNode events = decision.putArray("events");
            for (RegistryEvent e : a.events()) {
              try {
                events.add(Json.MAPPER.readTree(EventCodec.encode(e)));
              } catch (IOException ex) {
                throw new RegistryException("encoding reply event " + e.id(), ex);
              }
            }
          }
          case Decision.Rejected r -> {
            decision.put("accepted", false);
            decision.put("kind", r.rejection().kind().name());
            decision.put("message", r.rejection().message());
          }
        }
        ArrayNode allocated = o.putArray("allocated");
        out.allocatedIndexes().forEach(allocated::add);
        out.meta().ifPresent(m -> ListMetaCodec.write(o.putObject("meta"), m));
        o.put("expected_publication", out.expectedPublication().toEpochMilli());
      }
      case Reply.Entry e -> {
        o.put("type", "entry");
        e.view()
            .ifPresent(
                v -> {
                  ObjectNode view = o.putObject("entry");
                  view.put("list", v.list().key());
                  view.put("idx", v.idx());
                  view.put("status", v.status().code());
                  view.put("allocated", v.allocated());
                  view.put("published", v.published());
                  view.put("version", v.version());
                });
      }
      case Reply.Failed f -> {
        o.put("type", "failed");
        o.put("message", f.message());
      }
    }
    return Json.write(o);
  }

  public static Reply fromBytes(byte[] bytes) {
    return Json.decoding(
        "reply",
        () -> {
          JsonNode o = Json.parse(bytes, "reply");
          Json.checkVersion(o, VERSION, "reply");
          return switch (Json.text(o, "type")) {
            case "outcome" -> {
              JsonNode d = Json.required(o, "decision");
              Decision decision;
              if (Json.bool(d, "accepted")) {
                List<RegistryEvent> events = new ArrayList<>();
                for (JsonNode e : Json.required(d, "events")) {
                  events.add(EventCodec.decode(Json.write((ObjectNode) e)));
                }
                decision = new Decision.Accepted(events);
              } else {
                decision =
                    Decision.rejected(
                        Rejection.Kind.valueOf(Json.text(d, "kind")), Json.text(d, "message"));
              }
              List<Long> allocated = new ArrayList<>();
              for (JsonNode n : Json.required(o, "allocated")) {
                allocated.add(n.asLong());
              }
              JsonNode m = o.get("meta");
              Optional<ListMeta> meta =
                  m == null || m.isNull() ? Optional.empty() : Optional.of(ListMetaCodec.read(m));
              yield new Reply.Decided(
                  new Outcome(
                      decision,
                      List.copyOf(allocated),
                      meta,
                      Instant.ofEpochMilli(Json.longValue(o, "expected_publication"))));
            }
            case "entry" -> {
              JsonNode v = o.get("entry");
              if (v == null || v.isNull()) {
                yield new Reply.Entry(Optional.empty());
              }
              yield new Reply.Entry(
                  Optional.of(
                      new EntryView(
                          ListId.parse(Json.text(v, "list")),
                          Json.longValue(v, "idx"),
                          Status.fromCode(Json.intValue(v, "status")),
                          Json.bool(v, "allocated"),
                          Json.bool(v, "published"),
                          Json.longValue(v, "version"))));
            }
            case "failed" -> new Reply.Failed(Json.text(o, "message"));
            default -> throw new RegistryException.InvalidInput("unknown reply type");
          };
        });
  }
}
