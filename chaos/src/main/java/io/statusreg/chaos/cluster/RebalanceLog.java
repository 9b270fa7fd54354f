package io.statusreg.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rebalances as an instance's own log tells them: Kafka Streams' client state changes ({@code
 * stream-client [...] State transition from RUNNING to REBALANCING} and back) and the consumer
 * coordinator's {@code Successfully joined group with generation Generation{generationId=N}}. Read
 * from the log that {@link RegistryInstance} configures, so it works whatever metrics the instance
 * exports; a generation that does not move means the group did not rebalance.
 *
 * <p>It also reads the consumer coordinator's {@code Updating assignment with} block, whose {@code
 * Added partitions (assigned - owned)} and {@code Revoked partitions (owned - assigned)} lines say
 * whether a rebalance moved any input partition (and so any active task) of that instance. A
 * rebalance whose every assignment on the instance added and revoked nothing is a no-op for it: it
 * kept processing and publishing the same lists throughout.
 */
public final class RebalanceLog {
  /**
   * One line of interest. {@code generation} is set for {@link Kind#JOINED} only; {@code moved} for
   * {@link Kind#ASSIGNMENT} only (partitions added or revoked).
   */
  public record Entry(Instant at, Kind kind, long generation, boolean moved) {
    public Entry(Instant at, Kind kind, long generation) {
      this(at, kind, generation, false);
    }
  }

  public enum Kind {
    /** The Streams client left RUNNING for REBALANCING. */
    REBALANCING,
    /** The Streams client reached RUNNING. */
    RUNNING,
    /** A stream thread's consumer joined the group at a generation. */
    JOINED,
    /** A stream thread's consumer received an assignment (moved: it added or revoked some). */
    ASSIGNMENT
  }

  /**
   * A rebalance seen by one instance: from leaving RUNNING to being RUNNING again; {@code
   * movedPartitions} unless every assignment the instance received meanwhile added and revoked
   * nothing (a rebalance with no assignment line, or still open, counts as moving).
   */
  public record Rebalance(String instance, Instant from, Instant to, boolean movedPartitions) {
    public Rebalance(String instance, Instant from, Instant to) {
      this(instance, from, to, true);
    }

    public Duration duration() {
      return Duration.between(from, to);
    }
  }

  private static final Pattern CLIENT_TRANSITION =
      Pattern.compile("stream-client \\[[^]]*] State transition from (\\w+) to (\\w+)");
  private static final Pattern JOINED =
      Pattern.compile("Successfully joined group with generation Generation\\{generationId=(\\d+)");

  private static final Pattern ASSIGNMENT_DIFF =
      Pattern.compile("^\\s+(Added|Revoked) partitions \\([a-z -]+\\):\\s*\\[(.*)]\\s*$");

  private RebalanceLog() {}

  public static List<Entry> read(Path logFile) {
    if (!Files.exists(logFile)) {
      return List.of();
    }
    try (var lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
      return parseAll(lines.toList());
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  /** Parses a log, including the multi-line assignment blocks. */
  static List<Entry> parseAll(List<String> lines) {
    List<Entry> out = new ArrayList<>();
    Instant assignmentAt = null;
    boolean moved = false;
    for (String line : lines) {
      if (assignmentAt != null) {
        Matcher d = ASSIGNMENT_DIFF.matcher(line);
        if (d.find()) {
          moved |= !d.group(2).isBlank();
          if (d.group(1).equals("Revoked")) {
            out.add(new Entry(assignmentAt, Kind.ASSIGNMENT, -1, moved));
            assignmentAt = null;
          }
          continue;
        }
        if (line.startsWith("\t") || line.startsWith(" ")) {
          continue; // another line of the block
        }
        out.add(new Entry(assignmentAt, Kind.ASSIGNMENT, -1, true)); // incomplete: assume moved
        assignmentAt = null;
      }
      if (line.contains("Updating assignment with")) {
        Instant at = timestamp(line);
        if (at != null) {
          assignmentAt = at;
          moved = false;
        }
        continue;
      }
      parse(line).ifPresent(out::add);
    }
    if (assignmentAt != null) {
      out.add(new Entry(assignmentAt, Kind.ASSIGNMENT, -1, true));
    }
    return out;
  }

  private static Instant timestamp(String line) {
    int space = line.indexOf(' ');
    if (space < 0) {
      return null;
    }
    try {
      return OffsetDateTime.parse(line.substring(0, space)).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static java.util.Optional<Entry> parse(String line) {
    if (!line.contains("State transition") && !line.contains("Successfully joined group")) {
      return java.util.Optional.empty();
    }
    int space = line.indexOf(' ');
    if (space < 0) {
      return java.util.Optional.empty();
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(line.substring(0, space)).toInstant();
    } catch (DateTimeParseException e) {
      return java.util.Optional.empty();
    }
    Matcher m = CLIENT_TRANSITION.matcher(line);
    if (m.find()) {
      if (m.group(1).equals("RUNNING") && m.group(2).equals("REBALANCING")) {
        return java.util.Optional.of(new Entry(at, Kind.REBALANCING, -1));
      }
      if (m.group(2).equals("RUNNING")) {
        return java.util.Optional.of(new Entry(at, Kind.RUNNING, -1));
      }
      return java.util.Optional.empty();
    }
    Matcher j = JOINED.matcher(line);
    if (j.find()) {
      return java.util.Optional.of(new Entry(at, Kind.JOINED, Long.parseLong(j.group(1))));
    }
    return java.util.Optional.empty();
  }

  /** RUNNING to REBALANCING transitions inside {@code [from, to]}. */
  public static long rebalancesBetween(List<Entry> entries, Instant from, Instant to) {
    return entries.stream()
        .filter(e -> e.kind() == Kind.REBALANCING)
        .filter(e -> !e.at().isBefore(from) && !e.at().isAfter(to))
        .count();
  }

  /**
   * Rebalances starting inside {@code [from, to]} that moved a partition of this instance, or that
   * cannot be shown not to have (see {@link Rebalance#movedPartitions()}).
   */
  public static long movingRebalancesBetween(List<Entry> entries, Instant from, Instant to) {
    return rebalances("", entries, from, to).stream().filter(Rebalance::movedPartitions).count();
  }

  /** The highest group generation joined at or before {@code at}. */
  public static OptionalLong generationAt(List<Entry> entries, Instant at) {
    return entries.stream()
        .filter(e -> e.kind() == Kind.JOINED && !e.at().isAfter(at))
        .mapToLong(Entry::generation)
        .max();
  }

  /** The highest group generation in the log. */
  public static OptionalLong lastGeneration(List<Entry> entries) {
    return entries.stream().filter(e -> e.kind() == Kind.JOINED).mapToLong(Entry::generation).max();
  }

  /** Each RUNNING to REBALANCING to RUNNING cycle that started inside {@code [from, to]}. */
  public static List<Rebalance> rebalances(
      String instance, List<Entry> entries, Instant from, Instant to) {
    List<Rebalance> out = new ArrayList<>();
    Instant open = null;
    // The consumer logs its new assignment just before the stream thread (and so the client)
    // leaves RUNNING: assignments since the last RUNNING belong to the next rebalance.
    int assignments = 0;
    boolean moved = false;
    for (Entry e : entries) {
      if (e.kind() == Kind.REBALANCING) {
        open = e.at();
      } else if (e.kind() == Kind.ASSIGNMENT) {
        assignments++;
        moved |= e.moved();
      } else if (e.kind() == Kind.RUNNING) {
        if (open != null && !open.isBefore(from) && !open.isAfter(to)) {
          out.add(new Rebalance(instance, open, e.at(), moved || assignments == 0));
        }
        open = null;
        assignments = 0;
        moved = false;
      }
    }
    if (open != null && !open.isBefore(from) && !open.isAfter(to)) {
      out.add(new Rebalance(instance, open, to, true));
    }
    return out;
  }
}
