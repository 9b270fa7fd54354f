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
 * from the group") in the brokers' logs. An expiry of a member of an instance that was not killed
 * is a false one: the session timeout was too short for that run.
 */
public final class SessionEvidence {
  private static final Pattern SAFEPOINT_TOTAL = Pattern.compile("Total: (\\d+) ns");
  private static final Pattern EXPIRED =
      Pattern.compile("Member (\\S+) in group (\\S+) has failed, removing it from the group");

  /**
   * @param longestPauseMs the longest safepoint of any registry process (ms)
   * @param longestPauseIn the process (instance directory and file) that had it
   * @param safepoints how many safepoints were read
   * @param expiredMembers member ids the coordinator expired, as the brokers logged them
   */
  public record Result(
      double longestPauseMs, String longestPauseIn, long safepoints, List<String> expiredMembers) {

    /** Expired members that belong to none of {@code killed} (instance names): false expiries. */
    public List<String> falseExpiries(List<String> killed) {
      return expiredMembers.stream()
          .filter(m -> killed.stream().noneMatch(k -> m.startsWith(k + "-")))
          .toList();
    }
  }

  private SessionEvidence() {}

  /** Reads {@code work/registry-*}/safepoint-*.log and {@code work/kafka/**}/*.log. */
  public static Result read(Path workDir) {
    double longest = 0;
    String where = "-";
    long count = 0;
    List<String> expired = new ArrayList<>();
    try (Stream<Path> files = Files.walk(workDir, 4)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        boolean safepoint = name.startsWith("safepoint-") && name.endsWith(".log");
        boolean broker =
            f.toString().contains("/kafka/") && name.startsWith("server") && name.contains(".log");
        if (!safepoint && !broker) {
          continue;
        }
        try (Stream<String> lines = Files.lines(f, StandardCharsets.UTF_8)) {
          for (String line : (Iterable<String>) lines::iterator) {
            if (safepoint) {
              Matcher m = SAFEPOINT_TOTAL.matcher(line);
              if (m.find()) {
                count++;
                double ms = Long.parseLong(m.group(1)) / 1e6;
                if (ms > longest) {
                  longest = ms;
                  where = workDir.relativize(f).toString();
                }
              }
            } else {
              Matcher m = EXPIRED.matcher(line);
              if (m.find()) {
                expired.add(m.group(1));
              }
            }
          }
        } catch (IOException | java.io.UncheckedIOException e) {
          // a file still being written or unreadable: skip it
        }
      }
    } catch (IOException e) {
      return new Result(longest, where, count, expired);
    }
    return new Result(Math.round(longest * 10) / 10.0, where, count, List.copyOf(expired));
  }
}
