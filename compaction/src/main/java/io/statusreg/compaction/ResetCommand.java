package io.statusreg.compaction;

import io.statusreg.common.TopicCatalogue;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.tools.StreamsResetter;

/**
 * {@code statusreg reset --application-id ID --confirm}: Kafka's Streams application reset tool
 * ({@link StreamsResetter}, the {@code kafka-streams-application-reset} of kafka-tools) for the
 * registry, then deletion of the local state directory. Every instance must be stopped first; the
 * resetter refuses while the group has members. Without {@code --confirm} it is a dry run.
 *
 * <p>The topology's state is derived from {@code statusreg.events}: those offsets go back to the
 * earliest so that the state is rebuilt. Commands are never re-executed: {@code statusreg.commands}
 * is moved to its end.
 */
public final class ResetCommand {
  public static final String USAGE =
      """
      usage: statusreg reset --application-id ID [--confirm] [--state-dir DIR] [options]
        --application-id ID   the Streams application.id to reset (all instances stopped!)
        --confirm             really do it; without it, a dry run that changes nothing
        --state-dir DIR       the instance's Kafka Streams state.dir; ID's folder in it is deleted
        --rebuild-topics T,.. input topics reset to earliest (default statusreg.events)
        --skip-topics T,..    input topics moved to their end (default statusreg.commands)
        --bootstrap-servers H:P, --config FILE, --data-dir DIR as for every command
      """;

  private ResetCommand() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err, System.getenv());
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    try {
      CliArgs a =
          CliArgs.parse(
              args,
              ToolSettings.withCommon(
                  "application-id", "state-dir", "rebuild-topics", "skip-topics"),
              Set.of("confirm"));
      String appId =
          a.get("application-id")
              .orElseThrow(() -> new CliArgs.UsageException("--application-id is required"));
      KafkaAccess kafka = KafkaAccess.resolve(a, env, err);
      boolean confirm = a.has("confirm");
      String rebuild = a.get("rebuild-topics").orElse(TopicCatalogue.EVENTS);
      String skip = a.get("skip-topics").orElse(TopicCatalogue.COMMANDS);
      int rc = resetter(kafka, appId, rebuild, "--to-earliest", confirm, out);
      if (rc == 0 && !skip.isBlank()) {
        rc = resetter(kafka, appId, skip, "--to-latest", confirm, out);
      }
      if (rc != 0) {
        err.println(
            "statusreg reset: the Streams resetter failed (exit "
                + rc
                + "); are all instances stopped?");
        return 1;
      }
      Optional<Path> stateDir = a.get("state-dir").map(d -> Path.of(d).resolve(appId));
      if (stateDir.isPresent() && Files.exists(stateDir.get())) {
        if (confirm) {
          io.statusreg.common.FileTrees.deleteRecursively(stateDir.get());
          out.println("reset: deleted local state " + stateDir.get());
        } else {
          out.println("reset: would delete local state " + stateDir.get());
        }
      }
      out.println(
          confirm
              ? "reset: done; start the instances again to rebuild from " + rebuild
              : "reset: dry run only; add --confirm to reset");
      return 0;
    } catch (CliArgs.UsageException e) {
      err.println("statusreg reset: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("statusreg reset: " + e.getMessage());
      return 1;
    }
  }

  /** The resetter's arguments for one group of input topics. */
  static List<String> resetterArgs(
      String bootstrap, String appId, String topics, String position, boolean confirm) {
    List<String> args = new ArrayList<>();
    args.add("--bootstrap-server");
    args.add(bootstrap);
    args.add("--application-id");
    args.add(appId);
    args.add("--input-topics");
    args.add(topics);
    args.add(position);
    if (!confirm) {
      args.add("--dry-run");
    }
    return args;
  }

  private static int resetter(
      KafkaAccess kafka,
      String appId,
      String topics,
      String position,
      boolean confirm,
      PrintStream out) {
    List<String> args = resetterArgs(kafka.bootstrapServers(), appId, topics, position, confirm);
    out.println("reset: StreamsResetter " + String.join(" ", args));
    return new StreamsResetter().execute(args.toArray(String[]::new));
  }
}
