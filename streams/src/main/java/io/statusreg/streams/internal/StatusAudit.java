package io.statusreg.streams.internal;

import io.statusreg.registry.Actor;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.AuditLine;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authoritative audit record of every decided status change, on the {@code statusreg.audit}
 * logger: written by the list's owner, which alone knows the old and the new status and the event
 * id. One line per entry of a decided {@link RegistryCommand.ChangeStatus}, one JSON object ({@link
 * AuditLine}, so that no field can forge a line) always in the form
 *
 * <pre>
 * {"actor":"issuer:client-7","list":"acme/employees","idx":42,"old":"VALID","new":"INVALID","reason":"key_compromise","event":"6f1c...","outcome":"accepted"}
 * </pre>
 *
 * with {@code outcome} one of {@code accepted}, {@code unchanged} (the entry already had that
 * status: no event) or {@code rejected_<kind>} ({@code rejected_conflict}, ...); {@code event} is
 * null when no event was written, {@code old} null when the entry does not exist. A retried command
 * answered from the reply cache is not decided again and leaves no second line. (A transaction
 * aborted after the decision, by a crash, has its command decided again: the line repeats with the
 * same event ids, which are derived from the command id.)
 */
final class StatusAudit {
  static final String LOGGER = "statusreg.audit";
  private static final Logger audit = LoggerFactory.getLogger(LOGGER);

  private StatusAudit() {}

  /** Lines for a decided command; nothing for commands that change no status. */
  static void decided(RegistryCommand command, ListState before, Decision decision) {
    if (!(command instanceof RegistryCommand.ChangeStatus change) || !audit.isInfoEnabled()) {
      return; // (a disabled audit logger costs no JSON line, and no page read, per change)
    }
    String actor = actor(command.actor());
    String list = command.listId().key();
    switch (decision) {
      case Decision.Accepted accepted -> {
        Set<Long> changed = new HashSet<>();
        for (RegistryEvent event : accepted.events()) {
          if (event instanceof StatusChanged sc) {
            changed.add(sc.idx());
            line(
                actor,
                list,
                sc.idx(),
                String.valueOf(sc.previous()),
                String.valueOf(sc.status()),
                sc.reason().code(),
                String.valueOf(sc.id()),
                "accepted");
          }
        }
        for (RegistryCommand.Change c : change.changes()) {
          if (!changed.contains(c.idx())) {
            line(
                actor,
                list,
                c.idx(),
                String.valueOf(c.status()),
                String.valueOf(c.status()),
                c.reason().code(),
                null,
                "unchanged");
          }
        }
      }
      case Decision.Rejected rejected -> {
        String outcome = "rejected_" + rejected.rejection().kind().name().toLowerCase(Locale.ROOT);
        for (RegistryCommand.Change c : change.changes()) {
          line(
              actor,
              list,
              c.idx(),
              old(before, c.idx()),
              String.valueOf(c.status()),
              c.reason().code(),
              null,
              outcome);
        }
      }
    }
  }

  private static void line(
      String actor,
      String list,
      long idx,
      String old,
      String status,
      String reason,
      String event,
      String outcome) {
    audit.info(
        AuditLine.start()
            .field("actor", actor)
            .field("list", list)
            .field("idx", idx)
            .field("old", old)
            .field("new", status)
            .field("reason", reason)
            .field("event", event)
            .field("outcome", outcome)
            .line());
  }

  static String actor(Actor actor) {
    return actor.kind().code() + ":" + actor.subject();
  }

  private static String old(ListState state, long idx) {
    if (!state.exists() || idx < 0 || idx >= state.meta().size()) {
      return null;
    }
    Status status = state.statusAt(idx);
    return status.toString();
  }
}
