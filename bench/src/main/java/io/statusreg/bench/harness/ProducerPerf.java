package io.statusreg.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Kafka's own producer performance tool ({@code org.apache.kafka.tools.ProducerPerformance} from
 * kafka-tools, the version of the parent pom), run as a child JVM against a broker: the raw
 * producer rate that the writes benchmark compares the API with.
 */
public final class ProducerPerf {
  static final String TOOL = "org.apache.kafka.tools.ProducerPerformance";
  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg"
              + " latency, ([\\d.]+) ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

  /** The tool's final summary line. */
  public record Result(
      String command,
      long records,
      double recordsPerSecond,
      double mbPerSecond,
      double avgLatencyMs,
      double p50Ms,
      double p99Ms) {}

  private ProducerPerf() {}

  /** Creates {@code topic} (if missing) with {@code partitions}, replication 1. */
  public static void createTopic(String bootstrap, String topic, int partitions) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
        return;
      }
      admin
          .createTopics(Set.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("creating topic " + topic, e.getCause());
      }
    } catch (Exception e) {
      throw new IllegalStateException("creating topic " + topic, e);
    }
  }

  /** The command line. */
  public static List<String> command(
      String bootstrap, String topic, long records, Path payloadFile, String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(Commands.java(), "-Xmx" + heap, "-cp", Commands.classPath(), TOOL));
    cmd.addAll(
        List.of(
            "--topic",
            topic,
            "--num-records",
            Long.toString(records),
            "--throughput",
            "-1",
            "--payload-file",
            payloadFile.toString(),
            "--producer-props",
            "bootstrap.servers=" + bootstrap,
            "acks=all",
            "enable.idempotence=true",
            "linger.ms=1"));
    return cmd;
  }

  /** Runs the tool; payloads are one per line in {@code payloadFile}. */
  public static Result run(
      Path workDir,
      String label,
      String bootstrap,
      String topic,
      long records,
      Path payloadFile,
      Duration timeout) {
    List<String> cmd = command(bootstrap, topic, records, payloadFile, "512m");
    Path out = workDir.resolve("producer-perf-" + label + ".out");
    try {
      Files.deleteIfExists(out);
      int rc = Commands.run(cmd, Map.of(), out, timeout);
      String text = Files.readString(out);
      if (rc != 0) {
        throw new IllegalStateException("ProducerPerformance exited with " + rc + "; see " + out);
      }
      return parse(text, Commands.render(cmd));
    } catch (IOException e) {
      throw new UncheckedIOException("running ProducerPerformance", e);
    }
  }

  /** Reads the final summary line. */
  public static Result parse(String output, String command) {
    Matcher m = SUMMARY.matcher(output);
    Result last = null;
    while (m.find()) {
      last =
          new Result(
              command,
              Long.parseLong(m.group(1)),
              Double.parseDouble(m.group(2)),
              Double.parseDouble(m.group(3)),
              Double.parseDouble(m.group(4)),
              Double.parseDouble(m.group(6)),
              Double.parseDouble(m.group(8)));
    }
    if (last == null) {
      throw new IllegalStateException("no summary line in ProducerPerformance output:\n" + output);
    }
    return last;
  }
}
