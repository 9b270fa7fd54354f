package io.statusreg.compaction.replay;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.compaction.LogScan;
import io.statusreg.compaction.snapshots.ListSnapshot;
import io.statusreg.compaction.snapshots.SnapshotReader;
import io.statusreg.compaction.snapshots.SnapshotSet;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.streams.serde.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds every list's state from the log: the latest snapshots (when asked to start from them)
 * plus the tail of {@code statusreg.events}, read with {@code read_committed} by a consumer that is
 * assigned partitions by hand and commits nothing. This one path serves replay, audit and the
 * snapshot writer, so what a snapshot holds is exactly what a replay would compute.
 */
public final class StateRebuilder {
  private static final Logger LOG = LoggerFactory.getLogger(StateRebuilder.class);

  /** Where the fold starts. */
  public enum Start {
    /** Every partition from its first offset; fails if events have expired there. */
    BEGINNING,
    /**
     * Every partition from the first event at or after a time (lists created before are absent).
     */
    TIME,
    /** The latest snapshots, then each partition from its watermark. */
    SNAPSHOTS
  }

  /** What to rebuild and how. */
  public record Options(
      String eventsTopic,
      String snapshotsTopic,
      Start start,
      Optional<Instant> fromTime,
      Optional<Instant> until,
      Duration timeout) {
    public static Options fromSnapshots(String events, String snapshots) {
      return new Options(
          events, snapshots, Start.SNAPSHOTS, Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT);
    }

    public Options withStart(Start s) {
      return new Options(eventsTopic, snapshotsTopic, s, fromTime, until, timeout);
    }

    public Options withUntil(Instant t) {
      return new Options(eventsTopic, snapshotsTopic, start, fromTime, Optional.of(t), timeout);
    }
  }

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private final KafkaAccess kafka;
  private final Options options;

  public StateRebuilder(KafkaAccess kafka, Options options) {
    this.kafka = kafka;
    this.options = options;
  }

  /** Rebuilds from scratch. */
  public RegistryState rebuild(ReplayProgress progress) {
    return rebuild(progress, Map.of());
  }

  /**
   * Rebuilds from scratch, keeping each list of {@code pins} also as it was at that version (the
   * number of its events folded in; {@link ListFold#atPin()}). From snapshots, a list whose
   * snapshot is already past its pin is folded from its partition's first event instead, when that
   * event has not expired; otherwise its pinned state stays unknown (logged).
   */
  public RegistryState rebuild(ReplayProgress progress, Map<ListId, Long> pins) {
    RegistryState state = new RegistryState();
    state.pin(pins);
    options.until().ifPresent(state::until);
    Map<Integer, Long> start = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = kafka.reader()) {
      List<TopicPartition> partitions =
          LogScan.partitions(consumer, options.eventsTopic(), Duration.ofSeconds(60));
      Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
      switch (options.start()) {
        case BEGINNING -> {
          for (TopicPartition tp : partitions) {
            if (earliest.get(tp) > 0) {
              throw new ReplayException(
                  "events before offset "
                      + earliest.get(tp)
                      + " of "
                      + tp
                      + " have expired: a replay from the beginning would miss them; use"
                      + " --from-snapshots");
            }
            start.put(tp.partition(), 0L);
          }
        }
        case TIME -> {
          Instant from = options.fromTime().orElseThrow();
          Map<TopicPartition, Long> query = new HashMap<>();
          partitions.forEach(tp -> query.put(tp, from.toEpochMilli()));
          Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
          Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
          for (TopicPartition tp : partitions) {
            OffsetAndTimestamp o = found.get(tp);
            start.put(tp.partition(), o == null ? end.get(tp) : o.offset());
          }
        }
        case SNAPSHOTS -> {
          SnapshotSet snapshots =
              new SnapshotReader(kafka, options.snapshotsTopic(), options.timeout()).load();
          snapshots.problems().forEach(p -> LOG.warn("snapshot skipped: {}", p));
          boolean usable =
              options.until().isEmpty()
                  || snapshots.watermarks().values().stream()
                      .allMatch(w -> !w.takenAt().isAfter(options.until().get()));
          if (!usable) {
            LOG.warn(
                "snapshots are newer than --until {}: folding from the beginning instead",
                options.until().get());
            return new StateRebuilder(kafka, options.withStart(Start.BEGINNING))
                .rebuild(progress, pins);
          }
          // A list whose snapshot cannot be read is folded from its first event: its partition
          // (unknown here) cannot start late, so every partition starts at its beginning.
          boolean listUnreadable = snapshots.problems().stream().anyMatch(p -> p.contains("/"));
          // A snapshot past a list's pin cannot give the state at the pin: that list is folded
          // from its partition's first event, when none has expired there.
          Set<ListId> pastPin = new HashSet<>();
          Set<Integer> fromStart = new HashSet<>();
          for (ListSnapshot s : snapshots.lists().values()) {
            Long pin = pins.get(s.listId());
            if (pin == null || s.meta().version() <= pin) {
              continue;
            }
            Long first = earliest.get(new TopicPartition(options.eventsTopic(), s.partition()));
            if (first != null && first == 0) {
              pastPin.add(s.listId());
              fromStart.add(s.partition());
            } else {
              LOG.warn(
                  "the snapshot of {} is past version {} and its partition's early events have"
                      + " expired: its state at that version is unknown",
                  s.listId(),
                  pin);
            }
          }
          for (TopicPartition tp : partitions) {
            Watermark w = snapshots.watermarks().get(tp.partition());
            long from =
                w == null || listUnreadable || fromStart.contains(tp.partition()) ? 0L : w.offset();
            if (from < earliest.get(tp)) {
              throw new ReplayException(
                  "events of "
                      + tp
                      + " from offset "
                      + from
                      + " are needed but the log starts at "
                      + earliest.get(tp)
                      + (w == null
                          ? ": no snapshot watermark covers them"
                          : ": events expired that no snapshot covers")
                      + (listUnreadable ? " (some snapshots could not be read)" : ""));
            }
            start.put(tp.partition(), from);
          }
          for (ListSnapshot s : snapshots.lists().values()) {
            if (!pastPin.contains(s.listId())) {
              state.load(s);
            }
          }
        }
      }
      fold(consumer, partitions, start, state, progress);
    }
    return state;
  }

  /** Folds whatever was appended since {@code state} was built or last caught up. */
  public void catchUp(RegistryState state, ReplayProgress progress) {
    if (state.until().isPresent()) {
      throw new IllegalStateException("a state rebuilt --until a time cannot catch up");
    }
    try (KafkaConsumer<String, byte[]> consumer = kafka.reader()) {
      List<TopicPartition> partitions =
          LogScan.partitions(consumer, options.eventsTopic(), Duration.ofSeconds(60));
      fold(consumer, partitions, state.positions(), state, progress);
    }
  }

  private void fold(
      KafkaConsumer<String, byte[]> consumer,
      List<TopicPartition> partitions,
      Map<Integer, Long> start,
      RegistryState state,
      ReplayProgress progress) {
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
    List<TopicPartition> open = new ArrayList<>();
    long total = 0;
    for (TopicPartition tp : partitions) {
      long from = start.getOrDefault(tp.partition(), 0L);
      consumer.seek(tp, from);
      if (from < end.get(tp)) {
        state.position(tp.partition(), from);
        open.add(tp);
        total += end.get(tp) - from;
      } else {
        state.position(tp.partition(), Math.max(from, end.get(tp)));
      }
    }
    consumer.pause(partitions);
    consumer.resume(open);
    Instant deadline = Instant.now().plus(options.timeout());
    long done = 0;
    Instant until = options.until().orElse(null);
    Set<TopicPartition> stopped = new HashSet<>();
    // Keys repeat on every record of a list: parse (and validate) each distinct key once.
    Map<String, ListId> keys = new HashMap<>();
    while (!open.isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new ReplayException(
            "rebuild did not reach the end offsets of " + open + " within " + options.timeout());
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (stopped.contains(tp) || r.offset() >= end.get(tp)) {
          continue;
        }
        done++;
        ListId list;
        RegistryEvent event;
        try {
          list = keys.get(r.key());
          if (list == null) {
            list = ListId.parse(r.key());
            if (keys.size() >= 100_000) {
              keys.clear();
            }
            keys.put(r.key(), list);
          }
          event = EventCodec.decode(r.value());
        } catch (RegistryException | NullPointerException e) {
          state.unreadable++;
          state.position(r.partition(), r.offset() + 1);
          LOG.warn("unreadable record at {}@{}: {}", tp, r.offset(), e.getMessage());
          continue;
        }
        if (until != null && event.at().isAfter(until)) {
          stopped.add(tp);
          state.position(r.partition(), r.offset());
          consumer.pause(List.of(tp));
          continue;
        }
        ListFold fold = state.fold(list, r.partition());
        if (fold.covers(r.offset())) {
          state.eventsCovered++;
        } else {
          fold.apply(event, r.offset());
          state.eventsApplied++;
        }
        state.position(r.partition(), r.offset() + 1);
      }
      progress.update(done, total, false);
      open.removeIf(
          tp -> {
            if (stopped.contains(tp)) {
              return true;
            }
            long pos = consumer.position(tp);
            if (pos >= end.get(tp)) {
              // Transaction markers take offsets too: the position is past them.
              state.position(tp.partition(), end.get(tp));
              consumer.pause(List.of(tp));
              return true;
            }
            return false;
          });
    }
    progress.update(done, total, true);
  }

  /** A rebuild that cannot give a complete or trustworthy state. */
  public static final class ReplayException extends RuntimeException {
    public ReplayException(String message) {
      super(message);
    }
  }
}
