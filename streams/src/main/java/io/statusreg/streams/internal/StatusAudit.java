package io.statusreg.streams.internal;

import io.statusreg.registry.Actor;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authoritative audit record of every decided status change, on the {@code statusreg.audit}
 * logger: written by the list's owner, which alone knows the old and the new status and the event
 * id. One line per entry of a decided {@link RegistryCommand.ChangeStatus}, always in the form
 *
 * <pre>
 * actor=issuer:client-7 list=acme/employees idx=42 old=VALID new=INVALID reason=key_compromise event=6f1c... outcome=accepted
 * </pre>
 *
 * with {@code outcome} one of {@code accepted}, {@code unchanged} (the entry already had that
 * status: no event) or {@code rejected_<kind>} ({@code rejected_conflict}, ...); {@code event=-}
 * when no event was written, {@code old=-} when the entry does not exist. A retried command
 * answered from the reply cache is not decided again and leaves no second line. (A transaction
 * aborted after the decision, by a crash, has its command decided again: the line repeats with the
 * same event ids, which are derived from the command id.)
 */
final class StatusAudit {
  static final String LOGGER = "statusreg.audit";
  private static final Logger audit = LoggerFactory.getLogger(LOGGER);
  private static final String LINE =
      "actor={} list={} idx={} old={} new={} reason={} event={} outcome={}";

  private StatusAudit() {}

  /** Lines for a decided command; nothing for commands that change no status. */
  static void decided(RegistryCommand command, ListState before, Decision decision) {
    if (!(command instanceof RegistryCommand.ChangeStatus change)) {
      return;
    }
    String actor = actor(command.actor());
    String list = command.listId().key();
    switch (decision) {
      case Decision.Accepted accepted -> {
        Set<Long> changed = new HashSet<>();
        for (RegistryEvent event : accepted.events()) {
          if (event instanceof StatusChanged sc) {
            changed.add(sc.idx());
            audit.info(
                LINE,
                actor,
                list,
                sc.idx(),
                sc.previous(),
                sc.status(),
                sc.reason().code(),
                sc.id(),
                "accepted");
          }
        }
        for (RegistryCommand.Change c : change.changes()) {
          if (!changed.contains(c.idx())) {
            audit.info(
                LINE,
                actor,
                list,
                c.idx(),
                c.status(),
                c.status(),
                c.reason().code(),
                "-",
                "unchanged");
          }
        }
      }
      case Decision.Rejected rejected -> {
        String outcome = "rejected_" + rejected.rejection().kind().name().toLowerCase(Locale.ROOT);
        for (RegistryCommand.Change c : change.changes()) {
          audit.info(
              LINE,
              actor,
              list,
              c.idx(),
              old(before, c.idx()),
              c.status(),
              c.reason().code(),
              "-",
              outcome);
        }
      }
    }
  }

  static String actor(Actor actor) {
    return actor.kind().code() + ":" + actor.subject();
  }

  private static String old(ListState state, long idx) {
    if (!state.exists() || idx < 0 || idx >= state.meta().size()) {
      return "-";
    }
    Status status = state.statusAt(idx);
    return status.toString();
  }
}
