package io.statusreg.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code session.timeout.ms} has to be measured against, from a run's logs: the longest
 * stop-the-world pause of any registry process (its {@code -Xlog:safepoint} files: a paused JVM
 * sends no heartbeat), and every member the group coordinator expired ("has failed, removing it
 * from the group") in the brokers' logs ({@link io.statusreg.kraft.KraftCluster#nodeLogFile}). An
 * expiry of a member of an instance that was not killed is a false one: the session timeout was too
 * short for that run. No broker log read means no evidence either way ({@link
 * Result#brokerLogsRead}).
 */
public final class SessionEvidence {
  private static final Pattern SAFEPOINT_TOTAL = Pattern.compile("Total: (\\d+) ns");

  /**
   * The class-data-sharing archive written as the JVM exits (scripts/cds.sh), after the node has
   * closed and left the group: 2-3 s at a safepoint, but no member is in the group any more, so it
   * says nothing about heartbeats.
   */
  static final String EXIT_ARCHIVE_DUMP = "\"PopulateDumpSharedSpace\"";

  private static final Pattern EXPIRED =
      Pattern.compile("Member (\\S+) in group (\\S+) has failed, removing it from the group");

  /**
   * @param longestPauseMs the longest safepoint of any registry process (ms)
   * @param longestPauseIn the process (instance directory and file) that had it
   * @param safepoints how many safepoints were read
   * @param expiredMembers member ids the coordinator expired, as the brokers logged them
   * @param brokerLogsRead how many broker logs were read (0: the expiries are unknown)
   */
  public record Result(
      double longestPauseMs,
      String longestPauseIn,
      long safepoints,
      List<String> expiredMembers,
      int brokerLogsRead) {

    /** Expired members that belong to none of {@code killed} (instance names): false expiries. */
    public List<String> falseExpiries(List<String> killed) {
      return expiredMembers.stream()
          .filter(m -> killed.stream().noneMatch(k -> m.startsWith(k + "-")))
          .toList();
    }
  }

  private SessionEvidence() {}

  /**
   * Reads the {@code safepoint-*.log} files under {@code workDir} (one per registry process) and
   * the given broker logs; an unreadable file is skipped and not counted.
   */
  public static Result read(Path workDir, List<Path> brokerLogs) {
    List<Path> safepointLogs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(workDir, 4)) {
      files
          .filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().matches("safepoint-.*\\.log"))
          .forEach(safepointLogs::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      // no safepoint evidence: 0 safepoints read
    }
    double[] longest = {0};
    String[] where = {"-"};
    long[] count = {0};
    for (Path f : safepointLogs) {
      forEachLine(
          f,
          line -> {
            Matcher m = SAFEPOINT_TOTAL.matcher(line);
            if (m.find() && !line.contains(EXIT_ARCHIVE_DUMP)) {
              count[0]++;
              double ms = Long.parseLong(m.group(1)) / 1e6;
              if (ms > longest[0]) {
                longest[0] = ms;
                where[0] = workDir.relativize(f).toString();
              }
            }
          });
    }
    List<String> expired = new ArrayList<>();
    int brokerLogsRead = 0;
    for (Path log : brokerLogs) {
      boolean read =
          forEachLine(
              log,
              line -> {
                Matcher m = EXPIRED.matcher(line);
                if (m.find()) {
                  expired.add(m.group(1));
                }
              });
      if (read) {
        brokerLogsRead++;
      }
    }
    return new Result(
        Math.round(longest[0] * 10) / 10.0,
        where[0],
        count[0],
        List.copyOf(expired),
        brokerLogsRead);
  }

  /** Feeds every line of {@code f} to {@code each}; false when it could not be read to its end. */
  private static boolean forEachLine(Path f, java.util.function.Consumer<String> each) {
    try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
      lines.forEach(each);
      return true;
    } catch (IOException | java.io.UncheckedIOException e) {
      return false; // a file still being written, or unreadable
    }
  }
}
