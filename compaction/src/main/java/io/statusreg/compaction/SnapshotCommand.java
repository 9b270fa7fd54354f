package io.statusreg.compaction;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.compaction.replay.ProgressBar;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.Snapshotter;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.compaction.snapshots.SnapshotWriter;
import io.statusreg.compaction.topics.TopicManager;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;

/**
 * {@code statusreg snapshot [--every 10m] [--full]}: rebuilds every list (latest snapshots plus the
 * events tail) and writes a snapshot of each list that changed, plus the partition watermarks; with
 * {@code --every} it stays running and repeats on that schedule, folding only new events.
 */
public final class SnapshotCommand {
  public static final String USAGE =
      """
      usage: statusreg snapshot [--every D] [--full] [options]
        --every D   keep running and take a snapshot every D (e.g. 10m); default: once, then exit
        --full      write every list, not only those that changed since their last snapshot
        --progress  show a progress bar while folding
        --bootstrap-servers H:P, --config FILE, --data-dir DIR as for every command
      """;

  private SnapshotCommand() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err, System.getenv(), Clock.systemUTC());
  }

  public static int run(
      String[] args, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) {
    try {
      CliArgs a = CliArgs.parse(args, ToolSettings.withCommon("every"), Set.of("full", "progress"));
      KafkaAccess kafka = KafkaAccess.resolve(a, env, err);
      Optional<Duration> every = a.duration("every");
      int maxValue = maxValueBytes(kafka);
      StateRebuilder rebuilder =
          new StateRebuilder(
              kafka,
              StateRebuilder.Options.fromSnapshots(
                  TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS));
      ReplayProgress progress =
          a.has("progress") ? new ProgressBar(err, "snapshot") : ReplayProgress.NONE;
      RegistryState state = rebuilder.rebuild(progress);
      try (SnapshotWriter writer = new SnapshotWriter(kafka, TopicCatalogue.SNAPSHOTS, maxValue)) {
        boolean full = a.has("full");
        while (true) {
          Instant now = clock.instant();
          SnapshotWriter.Written w =
              Snapshotter.snapshot(state, writer, now, every.orElse(Duration.ZERO), full);
          out.printf(
              "snapshot %s: %d lists written (%d records, %,d bytes), %d partitions covered,"
                  + " positions %s%n",
              now, w.lists(), w.records(), w.bytes(), w.watermarks(), state.positions());
          full = false;
          if (every.isEmpty()) {
            return 0;
          }
          Thread.sleep(every.get().toMillis());
          rebuilder.catchUp(state, progress);
        }
      }
    } catch (CliArgs.UsageException e) {
      err.println("statusreg snapshot: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (RuntimeException e) {
      err.println("statusreg snapshot: " + e.getMessage());
      return 1;
    }
  }

  /**
   * The largest snapshot value to write: below the snapshots topic's {@code max.message.bytes} with
   * room for the record overhead, at most 4 MiB.
   */
  static int maxValueBytes(KafkaAccess kafka) {
    try (Admin admin = kafka.admin()) {
      var live = new TopicManager(admin).describe(List.of(TopicCatalogue.SNAPSHOTS));
      var t = live.get(TopicCatalogue.SNAPSHOTS);
      if (t == null) {
        throw new IllegalStateException(
            "topic " + TopicCatalogue.SNAPSHOTS + " is missing: run `statusreg topics apply`");
      }
      long max = Long.parseLong(t.configs().getOrDefault("max.message.bytes", "1048588"));
      return (int) Math.max(64 * 1024, Math.min(4L * 1024 * 1024, max - 64 * 1024));
    }
  }
}
