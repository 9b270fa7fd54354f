package io.statusreg.streams.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.common.wire.WireSerde;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Values of {@code statusreg.replies}: versioned JSON. An outcome carries the decision (accepted
 * events in {@link EventCodec}'s form, or the rejection), the allocated indexes (only when they do
 * not follow from the events and the list's permutation), the list's metadata after the command and
 * the expected publication time. An accepted status change travels compact ({@link
 * Reply.ChangesAccepted}: one byte per change), so a reply stays small whatever the command's size.
 *
 * <p>Version 2 added the compact form and made {@code allocated} optional; version 1 replies (still
 * in a {@code command-replies} store after an upgrade) are read as before.
 */
public final class ReplySerde extends WireSerde<Reply> {
  public static final int VERSION = 2;

  private static final int OLDEST_READ_VERSION = 1;

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
        if (!out.allocatedIndexes().equals(derivable(out.decision(), out.meta()))) {
          ArrayNode allocated = o.putArray("allocated");
          out.allocatedIndexes().forEach(allocated::add);
        }
        out.meta().ifPresent(m -> ListMetaCodec.write(o.putObject("meta"), m));
        o.put("expected_publication", out.expectedPublication().toEpochMilli());
      }
      case Reply.ChangesAccepted c -> {
        o.put("type", "changes");
        o.put("previous", Base64.getUrlEncoder().withoutPadding().encodeToString(c.previous()));
        o.put("fingerprint", c.fingerprint());
        c.meta().ifPresent(m -> ListMetaCodec.write(o.putObject("meta"), m));
        o.put("expected_publication", c.expectedPublication().toEpochMilli());
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
      case Reply.OwnerFault f -> o.put("type", "owner_fault");
    }
    return Json.write(o);
  }

  public static Reply fromBytes(byte[] bytes) {
    return Json.decoding(
        "reply",
        () -> {
          JsonNode o = Json.parse(bytes, "reply");
          int version = Json.intValue(o, "v");
          if (version < OLDEST_READ_VERSION || version > VERSION) {
            throw new RegistryException.InvalidInput("unsupported reply version " + version);
          }
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
              Optional<ListMeta> meta = meta(o);
              JsonNode listed = version == 1 ? Json.required(o, "allocated") : o.get("allocated");
              List<Long> allocated;
              if (listed == null || listed.isNull()) {
                allocated = allocated(decision, meta.orElse(null));
              } else {
                List<Long> read = new ArrayList<>();
                for (JsonNode n : listed) {
                  read.add(n.asLong());
                }
                allocated = List.copyOf(read);
              }
              yield new Reply.Decided(
                  new Outcome(
                      decision,
                      allocated,
                      meta,
                      Instant.ofEpochMilli(Json.longValue(o, "expected_publication"))));
            }
            case "changes" -> {
              byte[] previous;
              try {
                previous = Base64.getUrlDecoder().decode(Json.text(o, "previous"));
              } catch (IllegalArgumentException e) {
                throw new RegistryException.InvalidInput("reply previous is not base64url");
              }
              yield new Reply.ChangesAccepted(
                  previous,
                  Json.longValue(o, "fingerprint"),
                  meta(o),
                  Instant.ofEpochMilli(Json.longValue(o, "expected_publication")));
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
            case "owner_fault" -> new Reply.OwnerFault();
            default -> throw new RegistryException.InvalidInput("unknown reply type");
          };
        });
  }

  /** {@link #allocated}, or null when the events do not fit the metadata. */
  private static List<Long> derivable(Decision decision, Optional<ListMeta> meta) {
    try {
      return allocated(decision, meta.orElse(null));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Optional<ListMeta> meta(JsonNode o) {
    JsonNode m = o.get("meta");
    return m == null || m.isNull() ? Optional.empty() : Optional.of(ListMetaCodec.read(m));
  }

  /**
   * The indexes an accepted decision hands out: those of its {@link IndexesAllocated} events, each
   * cursor through the list's permutation (empty without metadata or allocation).
   */
  public static List<Long> allocated(Decision decision, ListMeta meta) {
    if (!(decision instanceof Decision.Accepted accepted) || meta == null) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    IndexPermutation perm = null;
    for (RegistryEvent event : accepted.events()) {
      if (event instanceof IndexesAllocated a) {
        if (perm == null) {
          perm = meta.permutation();
        }
        for (long c = a.fromCursor(); c < a.fromCursor() + a.count(); c++) {
          out.add(perm.apply(c));
        }
      }
    }
    return List.copyOf(out);
  }
}
