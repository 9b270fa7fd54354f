package io.statusreg.bench.replay;

import io.statusreg.bench.BenchContext;
import io.statusreg.bench.harness.Commands;
import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.harness.RegistryServer;
import io.statusreg.bench.harness.Seeding;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.ListState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay speed in events per second. Always: the events a dev server wrote to {@code
 * statusreg.events} while being seeded through its API are read back from the broker and folded
 * with the registry's {@code ListState.evolve} (read + decode + fold, and decode + fold alone).
 * When the compaction module's {@code io.statusreg.bench.ReplayBench} is on the class path, its run
 * of the real {@code statusreg replay} rebuilder is reported beside.
 */
public final class ReplayRun {
  private static final Logger log = LoggerFactory.getLogger(ReplayRun.class);
  static final String NAME = "replay";
  static final String COMPACTION_BENCH = "io.statusreg.bench.ReplayBench";
  private static final Pattern COMPACTION_SUMMARY =
      Pattern.compile(
          "replay from Kafka: median ([\\d,.]+) events/s.*fold only: median ([\\d,.]+) events/s");

  private ReplayRun() {}

  public static Part run(BenchContext ctx) throws Exception {
    PartRecorder rec = new PartRecorder(NAME, ctx.commandLine());
    Path work = ctx.scratch(NAME);
    int changes = ctx.quick() ? 20_000 : 100_000;
    try (RegistryServer server =
        RegistryServer.dev(work.resolve("data"), "1g", Seeding.serverSettings())) {
      server.awaitReady(Duration.ofMinutes(3));
      RegistryClient client = new RegistryClient(server.baseUrl(), server.devToken());
      String bootstrap = server.kafkaBootstrap().orElseThrow();
      for (int l = 0; l < 4; l++) {
        String list = client.createList(2, 1L << 20);
        long[] idx = Seeding.allocate(client, list, changes / 4);
        Seeding.setAll(client, list, idx, "SUSPENDED");
      }
      String how = ctx.commandLine() + "  (server: " + server.commandLine() + ")";
      long t0 = System.nanoTime();
      List<byte[]> events = readAll(bootstrap, "statusreg.events");
      double readSeconds = (System.nanoTime() - t0) / 1e9;
      int runs = 3;
      fold(events); // warm-up, not measured
      double[] foldRates = new double[runs];
      for (int r = 0; r < runs; r++) {
        long f0 = System.nanoTime();
        fold(events);
        foldRates[r] = events.size() / ((System.nanoTime() - f0) / 1e9);
      }
      double fold = median(foldRates);
      double total = events.size() / (readSeconds + events.size() / fold);
      rec.figure(
          "events",
          "events in statusreg.events after seeding through the API",
          events.size(),
          "events",
          how);
      rec.figure(
          "read_fold.events_per_s",
          "read from the broker (read_committed, one consumer) + decode + ListState.evolve",
          total,
          "events/s",
          how,
          String.format(
              java.util.Locale.ROOT, "read %.2f s; fold median of %d runs", readSeconds, runs));
      rec.figure(
          "fold_only.events_per_s",
          "decode + ListState.evolve, events in memory (median)",
          fold,
          "events/s",
          how);
    }
    compactionBench(ctx, rec, work);
    return rec.write(ctx.partFile(NAME), Part.OK);
  }

  private static void compactionBench(BenchContext ctx, PartRecorder rec, Path work) {
    try {
      Class.forName(COMPACTION_BENCH, false, ReplayRun.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      rec.note(
          "compaction's ReplayBench is not on the class path (branch compaction not merged):"
              + " the statusreg replay rebuilder was not measured; figures above fold with"
              + " ListState.evolve directly");
      return;
    }
    String events = ctx.quick() ? "60000" : "200000";
    List<String> cmd =
        List.of(
            Commands.java(),
            "-Xmx1g",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            Commands.classPath(),
            COMPACTION_BENCH,
            events,
            "10",
            "3");
    Path out = work.resolve("compaction-replay-bench.out");
    int rc = Commands.run(cmd, Map.of(), out, Duration.ofMinutes(6));
    try {
      Matcher m = COMPACTION_SUMMARY.matcher(Files.readString(out));
      if (rc != 0 || !m.find()) {
        rec.missing("compaction's ReplayBench exited with " + rc + " and no summary; see " + out);
        return;
      }
      String how = Commands.render(cmd);
      rec.figure(
          "compaction.rebuild.events_per_s",
          "statusreg replay --from-beginning rebuilder (compaction's ReplayBench), median",
          Double.parseDouble(m.group(1).replace(",", "")),
          "events/s",
          how);
      rec.figure(
          "compaction.fold_only.events_per_s",
          "compaction's ReplayBench: decode + evolve only, median",
          Double.parseDouble(m.group(2).replace(",", "")),
          "events/s",
          how);
    } catch (java.io.IOException e) {
      rec.missing("reading " + out + ": " + e.getMessage());
    }
  }

  /** Every committed record value of {@code topic}, partition by partition in offset order. */
  static List<byte[]> readAll(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<byte[]> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (System.nanoTime() < deadline) {
        boolean done = true;
        for (TopicPartition tp : parts) {
          if (c.position(tp, Duration.ofSeconds(30)) < end.get(tp)) {
            done = false;
          }
        }
        if (done) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          out.add(r.value());
        }
      }
    }
    log.info("read {} records of {}", out.size(), topic);
    return out;
  }

  /** Folds every event into its list's state. */
  static Map<ListId, ListState> fold(List<byte[]> events) {
    Map<ListId, ListState> states = new HashMap<>();
    for (byte[] b : events) {
      RegistryEvent e = EventCodec.decode(b);
      states.put(e.listId(), states.getOrDefault(e.listId(), ListState.initial()).evolve(e));
    }
    return states;
  }

  static double median(double[] v) {
    return io.statusreg.bench.stats.Percentiles.of(v).median();
  }
}
