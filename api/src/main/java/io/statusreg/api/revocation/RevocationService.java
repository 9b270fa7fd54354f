package io.statusreg.api.revocation;

import io.statusreg.api.auth.Principal;
import io.statusreg.api.http.Commands;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.api.problems.Problems;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Status changes (revoke, suspend, reinstate, application values) and entry reads. The audit record
 * of each decided change (actor, list, index, old and new status, reason, event id, outcome) is
 * written by the list's owner in the registry node, which alone knows the old status and the event;
 * this service writes none (authorisation refusals, which never reach the owner, are audited where
 * they happen).
 */
public final class RevocationService {

  public record Changed(List<EventId> eventIds, Instant expectedPublication) {}

  private final Commands commands;
  private final ApiMetrics metrics;
  private final Clock clock;

  public RevocationService(Commands commands, ApiMetrics metrics, Clock clock) {
    this.commands = commands;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Applies all changes or none; returns once the events are durable. How many changes one request
   * may carry is checked by the handler (the {@code bulk.max.changes} setting) before the changes
   * are read, and by the domain's own ceiling in the list's owner.
   */
  public Changed change(
      Principal principal, ListId list, List<RegistryCommand.Change> changes, UUID commandId) {
    Outcome outcome;
    try {
      outcome =
          commands.submit(
              new RegistryCommand.ChangeStatus(
                  commandId, list, changes, principal.actor(), clock.instant()));
    } catch (ApiProblem p) {
      metrics.statusChanges(
          p.kind() == ProblemKind.UNAVAILABLE ? "unavailable" : "refused", changes.size());
      throw p;
    }
    return switch (outcome.decision()) {
      case Decision.Rejected r -> {
        String outcomeName = "rejected_" + r.rejection().kind().name().toLowerCase(Locale.ROOT);
        metrics.statusChanges(outcomeName, changes.size());
        throw Problems.rejected(r.rejection());
      }
      case Decision.Accepted a -> {
        List<EventId> ids = new ArrayList<>();
        Set<Long> changedIdx = new HashSet<>();
        for (RegistryEvent event : a.events()) {
          ids.add(event.id());
          if (event instanceof StatusChanged sc) {
            changedIdx.add(sc.idx());
          }
        }
        int unchanged = 0;
        for (RegistryCommand.Change c : changes) {
          if (!changedIdx.contains(c.idx())) {
            unchanged++;
          }
        }
        metrics.statusChanges("accepted", changes.size() - unchanged);
        if (unchanged > 0) {
          metrics.statusChanges("unchanged", unchanged);
        }
        yield new Changed(ids, outcome.expectedPublication());
      }
    };
  }

  public EntryView entry(ListId list, long idx) {
    return commands
        .entry(list, idx)
        .orElseThrow(
            () -> new ApiProblem(ProblemKind.LIST_NOT_FOUND, "list " + list + " does not exist"));
  }
}
