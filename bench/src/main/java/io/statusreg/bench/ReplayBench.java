package io.statusreg.bench;

import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.stats.Percentiles;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.compaction.KafkaAccess;
import io.statusreg.compaction.TopicsCommand;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.EventCodec.Format;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.testing.EventGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Replay speed, each figure beside its yardstick in the same run: events per second that {@code
 * statusreg replay --from-beginning} folds from a real (in-process, single-node KRaft) broker
 * against a raw Kafka consumer reading the same topic with the same consumer settings (read, no
 * decode), for the JSON and the binary event form; and the fold without Kafka (decode + evolve),
 * one event at a time on the persistent state and with the mutable {@link ListState.Fold} replay
 * uses.
 *
 * <pre>java ... io.statusreg.bench.ReplayBench [events=600000] [lists=10] [runs=3]</pre>
 *
 * <p>With {@code -Dstatusreg.bench.part=<file>} the figures are also written as a results part
 * (benchmark {@code replay}, ids {@code replay.ratio}, {@code replay.fold_alone.events_per_s},
 * ...), which {@code bench report} and {@code bench capacity} read.
 *
 * <p>The last line keeps the form {@code replay from Kafka: median X events/s ... fold only: median
 * Y events/s} that {@code bench replay} reads (JSON form, mutable fold).
 */
public final class ReplayBench {
  static final String BINARY_TOPIC = TopicCatalogue.EVENTS + "-binary-bench";

  private ReplayBench() {}

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
    int lists = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    EventGenerator.Generated g =
        EventGenerator.seed(1)
            .lists(lists)
            .shape(1_000_000, 2)
            .allocatePerList(events / lists)
            .statusChanges((long) (events / lists) * lists)
            .maxBatch(20)
            .revocationPercent(10)
            .start(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMillis(1))
            .generate();
    Map<Format, List<byte[]>> encoded = new HashMap<>();
    for (Format f : Format.values()) {
      List<byte[]> out = new ArrayList<>(g.events().size());
      for (RegistryEvent e : g.events()) {
        out.add(EventCodec.encode(e, f));
      }
      encoded.put(f, out);
    }
    int n = g.events().size();
    System.out.printf(
        Locale.ROOT,
        "replay bench: %,d events over %d lists (1M entries, 2 bits); bytes per event: json %.1f,"
            + " binary %.1f%n",
        n,
        lists,
        avgBytes(encoded.get(Format.JSON)),
        avgBytes(encoded.get(Format.BINARY)));

    Map<String, Double> fold = new java.util.LinkedHashMap<>();
    for (Format f : Format.values()) {
      List<byte[]> in = encoded.get(f);
      fold.put(f.code() + " decode", rate(runs, n, () -> decodeOnly(in)));
      fold.put(f.code() + " decode+evolve", rate(runs, n, () -> foldPersistent(in)));
      fold.put(f.code() + " decode+fold", rate(runs, n, () -> foldMutable(in)));
    }
    fold.put("fold alone (decoded events)", rate(runs, n, () -> foldDecoded(g.events())));
    fold.forEach(
        (what, r) ->
            System.out.printf(Locale.ROOT, "in memory: %-28s %,12.0f events/s%n", what, r));

    Map<Format, double[]> raw = new HashMap<>();
    Map<Format, double[]> rebuild = new HashMap<>();
    try (KraftCluster kafka = KraftCluster.builder().build()) {
      kafka.start();
      KafkaAccess access = KafkaAccess.of(kafka.bootstrapServers());
      if (TopicsCommand.run(
              new String[] {
                "apply",
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--replication-factor",
                "1",
                "--min-insync-replicas",
                "1"
              },
              System.out,
              System.err,
              Map.of())
          != 0) {
        throw new IllegalStateException("topics apply failed");
      }
      Map<Format, String> topics =
          Map.of(Format.JSON, TopicCatalogue.EVENTS, Format.BINARY, BINARY_TOPIC);
      try (Admin admin = access.admin()) {
        int partitions =
            admin
                .describeTopics(List.of(TopicCatalogue.EVENTS))
                .allTopicNames()
                .get()
                .get(TopicCatalogue.EVENTS)
                .partitions()
                .size();
        admin
            .createTopics(
                List.of(new NewTopic(BINARY_TOPIC, Optional.of(partitions), Optional.empty())))
            .all()
            .get();
      } catch (Exception e) {
        throw new IllegalStateException("creating " + BINARY_TOPIC, e);
      }
      for (Format f : Format.values()) {
        produce(access, topics.get(f), g.events(), encoded.get(f));
      }
      for (Format f : Format.values()) {
        raw.put(f, new double[runs]);
        rebuild.put(f, new double[runs]);
      }
      for (int r = 0; r < runs; r++) {
        for (Format f : Format.values()) {
          String topic = topics.get(f);
          long t0 = System.nanoTime();
          long read = rawRead(access, topic);
          double s = (System.nanoTime() - t0) / 1e9;
          raw.get(f)[r] = read / s;
          StateRebuilder.Options options =
              StateRebuilder.Options.fromSnapshots(topic, TopicCatalogue.SNAPSHOTS)
                  .withStart(StateRebuilder.Start.BEGINNING);
          long t1 = System.nanoTime();
          RegistryState state = new StateRebuilder(access, options).rebuild(ReplayProgress.NONE);
          double s1 = (System.nanoTime() - t1) / 1e9;
          rebuild.get(f)[r] = state.eventsApplied() / s1;
          System.out.printf(
              Locale.ROOT,
              "run %d %s: raw consumer %,d records in %.2f s; rebuild %,d events in %.2f s"
                  + " (digest %s); ratio %.2f%n",
              r + 1,
              f.code(),
              read,
              s,
              state.eventsApplied(),
              s1,
              state.digest().substring(0, 16),
              rebuild.get(f)[r] / raw.get(f)[r]);
        }
      }
    }
    Map<Format, double[]> ratios = new HashMap<>();
    for (Format f : Format.values()) {
      double[] perRun = new double[runs];
      for (int r = 0; r < runs; r++) {
        perRun[r] = rebuild.get(f)[r] / raw.get(f)[r];
      }
      ratios.put(f, perRun);
      System.out.printf(
          Locale.ROOT,
          "replay %s: rebuild median %,.0f events/s, raw consumer median %,.0f records/s,"
              + " replay.ratio median %.2f (per run %s)%n",
          f.code(),
          median(rebuild.get(f)),
          median(raw.get(f)),
          median(perRun),
          Arrays.toString(Arrays.stream(perRun).map(x -> Math.round(x * 100) / 100.0).toArray()));
    }
    String part = System.getProperty("statusreg.bench.part", "");
    if (!part.isEmpty()) {
      String how =
          "java -Xmx1g --enable-native-access=ALL-UNNAMED -cp $BENCH_CP"
              + " -Dstatusreg.bench.part=<file> io.statusreg.bench.ReplayBench "
              + events
              + " "
              + lists
              + " "
              + runs;
      PartRecorder rec = new PartRecorder("replay", how);
      for (Format f : Format.values()) {
        String sfx = f == Format.BINARY ? "" : ".json";
        rec.figure(
            "ratio" + sfx,
            "replay rebuild / raw consumer, same topic, " + f.code() + " events, median of runs",
            median(ratios.get(f)),
            "ratio",
            how);
        rec.figure(
            "rebuild.events_per_s" + sfx,
            "statusreg replay --from-beginning rebuilder, " + f.code() + " events, median",
            median(rebuild.get(f)),
            "events/s",
            how);
        rec.figure(
            "raw_consumer.records_per_s" + sfx,
            "raw Kafka consumer (replay's consumer settings, no decode), "
                + f.code()
                + " topic, median",
            median(raw.get(f)),
            "records/s",
            how);
        rec.figure(
            "fold_alone.events_per_s" + sfx,
            "decode + ListState.Fold in memory, " + f.code() + " events, median",
            fold.get(f.code() + " decode+fold"),
            "events/s",
            how);
        rec.figure(
            "decode.events_per_s" + sfx,
            "decode alone, " + f.code() + " events, median",
            fold.get(f.code() + " decode"),
            "events/s",
            how);
        rec.figure(
            "bytes_per_event" + sfx,
            "encoded event size, " + f.code() + ", mean",
            avgBytes(encoded.get(f)),
            "bytes",
            how);
      }
      rec.figure(
          "fold_decoded.events_per_s",
          "ListState.Fold of already decoded events, median",
          fold.get("fold alone (decoded events)"),
          "events/s",
          how);
      rec.figure(
          "evolve_persistent.events_per_s",
          "binary decode + ListState.evolve one event at a time (page copy per change), median",
          fold.get("binary decode+evolve"),
          "events/s",
          how);
      rec.write(java.nio.file.Path.of(part), Part.OK);
    }
    System.out.printf(
        Locale.ROOT,
        "replay from Kafka: median %,.0f events/s (best %,.0f); fold only: median %,.0f events/s%n",
        median(rebuild.get(Format.JSON)),
        Arrays.stream(rebuild.get(Format.JSON)).max().orElse(0),
        fold.get("json decode+fold"));
  }

  private static double avgBytes(List<byte[]> in) {
    return in.stream().mapToLong(b -> b.length).sum() / (double) in.size();
  }

  private static void produce(
      KafkaAccess access, String topic, List<RegistryEvent> events, List<byte[]> values) {
    try (KafkaProducer<String, byte[]> p = access.transactionalWriter("replay-bench-" + topic)) {
      for (int from = 0; from < values.size(); from += 20_000) {
        p.beginTransaction();
        for (int i = from; i < Math.min(values.size(), from + 20_000); i++) {
          p.send(new ProducerRecord<>(topic, events.get(i).listId().key(), values.get(i)));
        }
        p.commitTransaction();
      }
    }
  }

  /** Reads every committed record of {@code topic} with replay's consumer settings; no decode. */
  static long rawRead(KafkaAccess access, String topic) {
    try (KafkaConsumer<String, byte[]> c = access.reader()) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
      long count = 0;
      long bytes = 0;
      List<TopicPartition> open = new ArrayList<>(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      while (!open.isEmpty() && System.nanoTime() < deadline) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
        for (var r : records) {
          count++;
          bytes += r.value().length;
        }
        open.removeIf(tp -> c.position(tp) >= end.get(tp));
      }
      if (!open.isEmpty()) {
        // a partial read would make the yardstick slow and replay.ratio look better than it is
        throw new IllegalStateException(
            "raw read of " + topic + " did not reach the end of " + open + " in 5 minutes");
      }
      if (bytes < 0) {
        throw new IllegalStateException("unreachable"); // keeps the value reads alive
      }
      return count;
    }
  }

  private static double rate(int runs, int n, java.util.function.LongSupplier work) {
    work.getAsLong(); // warm-up
    double[] rates = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      long sink = work.getAsLong();
      rates[r] = n / ((System.nanoTime() - t0) / 1e9);
      if (sink == Long.MIN_VALUE) {
        System.out.println(sink);
      }
    }
    return median(rates);
  }

  private static long decodeOnly(List<byte[]> in) {
    long h = 0;
    for (byte[] b : in) {
      h += EventCodec.decode(b).at().toEpochMilli();
    }
    return h;
  }

  private static long foldPersistent(List<byte[]> in) {
    Map<ListId, ListState> states = new HashMap<>();
    for (byte[] b : in) {
      RegistryEvent e = EventCodec.decode(b);
      states.put(e.listId(), states.getOrDefault(e.listId(), ListState.initial()).evolve(e));
    }
    return versions(states.values(), s -> s.meta().version());
  }

  private static long foldMutable(List<byte[]> in) {
    Map<ListId, ListState.Fold> folds = new HashMap<>();
    for (byte[] b : in) {
      RegistryEvent e = EventCodec.decode(b);
      folds.computeIfAbsent(e.listId(), k -> ListState.initial().fold()).apply(e);
    }
    return versions(folds.values(), f -> f.state().meta().version());
  }

  private static long foldDecoded(List<RegistryEvent> in) {
    Map<ListId, ListState.Fold> folds = new HashMap<>();
    for (RegistryEvent e : in) {
      folds.computeIfAbsent(e.listId(), k -> ListState.initial().fold()).apply(e);
    }
    return versions(folds.values(), f -> f.state().meta().version());
  }

  private static <T> long versions(Iterable<T> states, ToLongFunction<T> version) {
    long v = 0;
    for (T s : states) {
      v += version.applyAsLong(s);
    }
    return v;
  }

  /** The median of the runs (the mean of the middle two for an even number of runs). */
  private static double median(double[] v) {
    return Percentiles.of(v).median();
  }
}
