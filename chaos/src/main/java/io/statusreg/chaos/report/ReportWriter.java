package io.statusreg.chaos.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.statusreg.chaos.load.Phases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Writes {@code report.json} and {@code report.md} into the report directory. */
public final class ReportWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .registerModule(
              new SimpleModule()
                  .addSerializer(Instant.class, new ToStringSerializer<>())
                  .addSerializer(Duration.class, new ToStringSerializer<>()));

  private ReportWriter() {}

  public static void write(ChaosReport report, Path dir) {
    try {
      Files.createDirectories(dir);
      JSON.writeValue(dir.resolve("report.json").toFile(), report);
      Files.writeString(dir.resolve("report.md"), markdown(report), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the report to " + dir, e);
    }
  }

  public static String markdown(ChaosReport r) {
    StringBuilder b = new StringBuilder();
    b.append("# chaos: ").append(r.scenario()).append(r.soak() ? " (soak)" : "").append("\n\n");
    b.append(r.description())
        .append(". Membership: ")
        .append(r.staticMembership() ? "static" : "dynamic")
        .append(". ")
        .append(r.started())
        .append(" to ")
        .append(r.finished())
        .append(".\n\n");
    b.append("**Result: ").append(r.passed() ? "PASS" : "FAIL").append("**\n\n");
    if (r.error() != null) {
      b.append("Run error:\n\n```\n").append(r.error()).append("\n```\n\n");
    }
    b.append("| check | result | measured |\n|---|---|---|\n");
    for (ChaosReport.Check c : r.checks()) {
      b.append("| ")
          .append(c.name())
          .append(" | ")
          .append(c.passed() ? "pass" : "**FAIL**")
          .append(" | ")
          .append(c.detail())
          .append(" |\n");
    }
    if (r.traffic() != null) {
      ChaosReport.Traffic t = r.traffic();
      b.append("\n## Traffic\n\n")
          .append("- fetches: ")
          .append(t.fetchesOk())
          .append(" ok, ")
          .append(t.fetchesFailed())
          .append(" failed, ")
          .append(t.fetchesSkipped())
          .append(" not started (too many in flight)\n")
          .append("- changes acknowledged: ")
          .append(t.changesAcknowledged())
          .append(", not acknowledged (refused or given up): ")
          .append(t.changesUnacknowledged())
          .append('\n');
      if (r.data() != null) {
        b.append("- acknowledged changes found in the event log: ")
            .append(r.data().acknowledgedFoundInLog())
            .append(" of ")
            .append(r.data().acknowledgedChanges() - r.data().acknowledgedWithoutEventId())
            .append(" with an event id; final tokens: ")
            .append(r.data().tokenMismatches())
            .append(" mismatches over ")
            .append(r.data().tokensChecked())
            .append(" tokens (converged in ")
            .append(r.data().convergence().toMillis())
            .append(" ms)\n")
            .append("- status-change events on certain entries: ")
            .append(r.data().statusChangeEventsOnCertainEntries())
            .append(" (acknowledged changes to those entries: ")
            .append(r.data().acknowledgedOnCertainEntries())
            .append("), duplicate event ids: ")
            .append(r.data().duplicateEventIds())
            .append('\n');
      }
    }
    if (r.goals() != null) {
      ChaosReport.Goals g = r.goals();
      b.append("\n## Issuer goals (every phase <= ")
          .append(g.goalMs())
          .append(" ms)\n\n")
          .append("Whole run: ack p99 ")
          .append(g.ackP99Ms())
          .append(" ms, longest publication pause ")
          .append(g.maxPublicationPauseMs())
          .append(" ms (")
          .append(g.pausedList())
          .append("). A pause is the time a change waited for its list's next version.\n\n")
          .append("| phase | writes acked | ack p99 ms | longest pause ms (list) | goal |\n")
          .append("|---|---|---|---|---|\n");
      for (ChaosReport.PhaseGoal p : g.phases()) {
        b.append("| ")
            .append(p.phase())
            .append(" | ")
            .append(p.writesAcked())
            .append(" | ")
            .append(p.ackP99Ms())
            .append(" | ")
            .append(p.pauseMs())
            .append(" (")
            .append(p.pausedList())
            .append(") | ")
            .append(p.met() ? "met" : "**missed**")
            .append(" |\n");
      }
    }
    b.append("\n## Phases\n\n")
        .append(
            "| phase | start | fetches ok | failed | fetch p50 ms | p99 ms | max ms | writes acked | write attempts failed | ack p50 ms | ack p99 ms | ack max ms |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Phases.Summary p : r.phases()) {
      b.append("| ")
          .append(p.name())
          .append(" | ")
          .append(p.start())
          .append(" | ")
          .append(p.fetchesOk())
          .append(" | ")
          .append(p.fetchesFailed())
          .append(" | ")
          .append(fmt(p.fetchLatency().p50Ms()))
          .append(" | ")
          .append(fmt(p.fetchLatency().p99Ms()))
          .append(" | ")
          .append(fmt(p.fetchLatency().maxMs()))
          .append(" | ")
          .append(p.writesAcked())
          .append(" | ")
          .append(p.writeAttemptsFailed())
          .append(" | ")
          .append(fmt(p.writeLatency().p50Ms()))
          .append(" | ")
          .append(fmt(p.writeLatency().p99Ms()))
          .append(" | ")
          .append(fmt(p.writeLatency().maxMs()))
          .append(" |\n");
    }
    if (!r.disruptions().isEmpty()) {
      b.append("\n## Disruptions\n\n")
          .append(
              "| action | target | stop s | recovery s | survivor rebalances (logs / metric) | longest publication pause s (list) | fetches failed | writes acked |\n")
          .append("|---|---|---|---|---|---|---|---|\n");
      for (ChaosReport.Disruption d : r.disruptions()) {
        b.append("| ")
            .append(d.action())
            .append(" | ")
            .append(d.target())
            .append(" | ")
            .append(fmt(d.stopSeconds()))
            .append(" | ")
            .append(fmt(d.recoverySeconds()))
            .append(" | ")
            .append(d.survivorRebalances())
            .append(" / ")
            .append(
                d.survivorRebalancesByMetric() < 0
                    ? "n/a"
                    : Long.toString(d.survivorRebalancesByMetric()))
            .append(" | ")
            .append(fmt(d.longestPublicationPauseSeconds()))
            .append(" (")
            .append(d.pausedList())
            .append(") | ")
            .append(d.fetchesFailed())
            .append(" | ")
            .append(d.writesAcknowledged())
            .append(" |\n");
      }
    }
    b.append("\n## Rebalances (from the instances' logs)\n\n");
    if (r.rebalances().isEmpty()) {
      b.append("None after start-up.\n");
    } else {
      b.append("| instance | from | seconds | partitions moved |\n|---|---|---|---|\n");
      for (ChaosReport.RebalanceSeen s : r.rebalances()) {
        b.append("| ")
            .append(s.instance())
            .append(" | ")
            .append(s.from())
            .append(" | ")
            .append(fmt(s.seconds()))
            .append(" | ")
            .append(s.moved() ? "yes" : "no (no-op)")
            .append(" |\n");
      }
    }
    b.append("\nLast group generation per instance: ").append(r.groupGenerations()).append('\n');
    if (!r.notes().isEmpty()) {
      b.append("\n## Notes\n\n");
      r.notes().forEach(n -> b.append("- ").append(n).append('\n'));
    }
    if (!r.failureSamples().isEmpty()) {
      b.append("\n## Failure samples\n\n");
      r.failureSamples().forEach(n -> b.append("- ").append(n).append('\n'));
    }
    return b.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static final class ToStringSerializer<T> extends JsonSerializer<T> {
    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }
  }
}
