package io.statusreg.compaction;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.compaction.replay.ListExport;
import io.statusreg.compaction.replay.ProgressBar;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateDump;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.compaction.replay.StateRebuilder.Start;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.ListState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;

/**
 * {@code statusreg replay}: rebuilds every list from the log into fresh state under a new
 * application id, never the live application's state directory or consumer group.
 */
public final class ReplayCommand {
  public static final String USAGE =
      """
      usage: statusreg replay --to-application-id ID [--from-beginning | --from-time T |
                              --from-snapshots] [--until T] [--emit LIST --out FILE] [options]
        --to-application-id ID  name of the fresh state: written to <state-dir>/ID (must be new,
                                and not the id of a consumer group on the cluster)
        --from-beginning        fold every event from offset 0 (fails if events have expired)
        --from-time T           fold events from time T on (lists created earlier are absent)
        --from-snapshots        latest snapshots plus the events tail (default)
        --until T               stop at events after T: the state as it was at T
        --emit LIST             write list issuer/name as it was (JSON: non-valid indexes + lst;
                                an identifier list's revoked identifiers instead of lst)
        --out FILE              where --emit writes (default: stdout)
        --state-dir DIR         parent of the fresh state directory (default <data-dir>/replay)
        --no-progress           no progress bar on stderr
        --bootstrap-servers H:P, --config FILE, --data-dir DIR as for every command
      T is ISO-8601 (2026-01-31T12:00:00Z) or unix seconds.
      """;

  private ReplayCommand() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err, System.getenv());
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    try {
      CliArgs a =
          CliArgs.parse(
              args,
              ToolSettings.withCommon(
                  "to-application-id", "from-time", "until", "emit", "out", "state-dir"),
              Set.of("from-beginning", "from-snapshots", "no-progress"));
      String appId =
          a.get("to-application-id")
              .orElseThrow(() -> new CliArgs.UsageException("--to-application-id is required"));
      if (!appId.matches("[A-Za-z0-9._-]{1,128}")) {
        throw new CliArgs.UsageException("--to-application-id must match [A-Za-z0-9._-]{1,128}");
      }
      int starts =
          (a.has("from-beginning") ? 1 : 0)
              + (a.has("from-time") ? 1 : 0)
              + (a.has("from-snapshots") ? 1 : 0);
      if (starts > 1) {
        throw new CliArgs.UsageException(
            "give at most one of --from-beginning, --from-time, --from-snapshots");
      }
      Start start =
          a.has("from-beginning")
              ? Start.BEGINNING
              : a.has("from-time") ? Start.TIME : Start.SNAPSHOTS;
      Optional<Instant> fromTime = a.instant("from-time");
      Optional<Instant> until = a.instant("until");
      Optional<ListId> emit = a.get("emit").map(ListId::parse);
      KafkaAccess kafka = KafkaAccess.resolve(a, env, err);
      Path dir =
          a.get("state-dir")
              .map(Path::of)
              .orElse(ToolSettings.dataDir(a).resolve("replay"))
              .resolve(appId);
      refuseLiveGroup(kafka, appId);
      if (start == Start.TIME) {
        err.println(
            "statusreg replay: --from-time folds only events from "
                + fromTime.get()
                + " on; lists created earlier are missing from the result");
      }
      StateRebuilder rebuilder =
          new StateRebuilder(
              kafka,
              new StateRebuilder.Options(
                  TopicCatalogue.EVENTS,
                  TopicCatalogue.SNAPSHOTS,
                  start,
                  fromTime,
                  until,
                  StateRebuilder.DEFAULT_TIMEOUT));
      ReplayProgress progress =
          a.has("no-progress") ? ReplayProgress.NONE : new ProgressBar(err, "replay");
      long t0 = System.nanoTime();
      RegistryState state = rebuilder.rebuild(progress);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Map<String, String> facts = new LinkedHashMap<>();
      facts.put("application.id", appId);
      facts.put("start", start.name().toLowerCase(java.util.Locale.ROOT));
      fromTime.ifPresent(t -> facts.put("from.time", t.toString()));
      facts.put("replayed.at", Instant.now().toString());
      StateDump.write(state, dir, facts);
      out.printf(
          "replay: %d lists, %,d events folded (%,d covered by snapshots) in %.1f s; state in %s;"
              + " digest %s%n",
          state.lists().size(),
          state.eventsApplied(),
          state.eventsCovered(),
          seconds,
          dir,
          state.digest());
      if (emit.isPresent()) {
        ListState list =
            state
                .list(emit.get())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "list "
                                + emit.get()
                                + " does not exist"
                                + until.map(u -> " at " + u).orElse("")));
        byte[] json = ListExport.json(list, until);
        if (a.get("out").isPresent()) {
          Files.write(Path.of(a.get("out").get()), json);
          out.println("replay: wrote " + emit.get() + " to " + a.get("out").get());
        } else {
          out.write(json);
          out.println();
        }
      }
      return 0;
    } catch (CliArgs.UsageException e) {
      err.println("statusreg replay: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("statusreg replay: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Refuses an application id that is a consumer group on the cluster: it could be the live app.
   */
  static void refuseLiveGroup(KafkaAccess kafka, String appId) {
    try (Admin admin = kafka.admin()) {
      Collection<GroupListing> groups = admin.listGroups().all().get(60, TimeUnit.SECONDS);
      if (groups.stream().anyMatch(g -> g.groupId().equals(appId))) {
        throw new IllegalStateException(
            "'"
                + appId
                + "' is a consumer group on the cluster (a live application?): replay"
                + " into a fresh id");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("listing consumer groups: " + e.getMessage(), e);
    }
  }
}
