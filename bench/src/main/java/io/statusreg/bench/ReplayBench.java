package io.statusreg.bench;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.compaction.KafkaAccess;
import io.statusreg.compaction.TopicsCommand;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.events.EventCodec;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Replay speed: events per second that {@code statusreg replay --from-beginning} folds from a real
 * (in-process, single-node KRaft) broker, and the same fold without Kafka (decode + evolve only).
 *
 * <pre>java ... io.statusreg.bench.ReplayBench [events=600000] [lists=10] [runs=3]</pre>
 */
public final class ReplayBench {
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
    List<byte[]> encoded = new ArrayList<>(g.events().size());
    for (RegistryEvent e : g.events()) {
      encoded.add(EventCodec.encode(e));
    }
    System.out.printf(
        Locale.ROOT,
        "replay bench: %,d events over %d lists (1M entries, 2 bits)%n",
        encoded.size(),
        lists);

    double[] inMemory = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      Map<Object, ListState> states = new HashMap<>();
      for (byte[] b : encoded) {
        RegistryEvent e = EventCodec.decode(b);
        states.put(e.listId(), states.getOrDefault(e.listId(), ListState.initial()).evolve(e));
      }
      inMemory[r] = encoded.size() / ((System.nanoTime() - t0) / 1e9);
    }

    double[] kafkaRuns = new double[runs];
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
      try (KafkaProducer<String, byte[]> p = access.transactionalWriter("replay-bench")) {
        for (int from = 0; from < encoded.size(); from += 20_000) {
          p.beginTransaction();
          for (int i = from; i < Math.min(encoded.size(), from + 20_000); i++) {
            p.send(
                new ProducerRecord<>(
                    TopicCatalogue.EVENTS, g.events().get(i).listId().key(), encoded.get(i)));
          }
          p.commitTransaction();
        }
      }
      StateRebuilder.Options options =
          StateRebuilder.Options.fromSnapshots(TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS)
              .withStart(StateRebuilder.Start.BEGINNING);
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        RegistryState state = new StateRebuilder(access, options).rebuild(ReplayProgress.NONE);
        double s = (System.nanoTime() - t0) / 1e9;
        kafkaRuns[r] = state.eventsApplied() / s;
        System.out.printf(
            Locale.ROOT,
            "run %d: %,d events in %.2f s (digest %s)%n",
            r + 1,
            state.eventsApplied(),
            s,
            state.digest().substring(0, 16));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "replay from Kafka: median %,.0f events/s (best %,.0f); fold only: median %,.0f events/s%n",
        median(kafkaRuns),
        Arrays.stream(kafkaRuns).max().orElse(0),
        median(inMemory));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
