package io.statusreg.chaos.verify;

import com.nimbusds.jose.jwk.ECKey;
import io.statusreg.chaos.cluster.RegistryInstance;
import io.statusreg.chaos.load.Ledger;
import io.statusreg.chaos.load.ListRef;
import io.statusreg.chaos.load.RegistryClient;
import io.statusreg.compaction.KafkaAccess;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.StatusChanged;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The no-data-loss checks at the end of a run, against what the registry acknowledged:
 *
 * <ul>
 *   <li>the final published token of every list, on every ready instance, shows each entry at the
 *       status of its last acknowledged change (entries never changed: VALID);
 *   <li>every acknowledged change's event id is in {@code statusreg.events} exactly once, and no
 *       event id occurs twice;
 *   <li>the number of status changes in the log for entries whose status is certain equals the
 *       number of acknowledged changes to them (none applied twice, none invented). An entry with a
 *       change that was never answered is uncertain: that change may or may not be in the log.
 * </ul>
 */
public final class DataChecks {
  private static final Logger log = LoggerFactory.getLogger(DataChecks.class);
  private static final int SAMPLES = 20;

  /** Outcome of the checks, with a few samples of each kind of finding. */
  public record Result(
      long acknowledgedChanges,
      long acknowledgedFoundInLog,
      long acknowledgedWithoutEventId,
      long certainEntries,
      long uncertainEntries,
      long tokenMismatches,
      List<String> tokenMismatchSamples,
      long tokensChecked,
      Duration convergence,
      boolean converged,
      long statusChangeEventsOnCertainEntries,
      long acknowledgedOnCertainEntries,
      long duplicateEventIds,
      List<String> duplicateSamples,
      long logFoldMismatches,
      List<String> logFoldMismatchSamples,
      long eventRecords,
      long unreadableEvents,
      List<String> errors) {

    /** Acknowledged changes missing from the log or from the final tokens. */
    public long lostChanges() {
      return (acknowledgedChanges - acknowledgedWithoutEventId - acknowledgedFoundInLog)
          + tokenMismatches;
    }

    public boolean noneLost() {
      return errors.isEmpty() && converged && lostChanges() == 0 && logFoldMismatches == 0;
    }

    public boolean noneDuplicated() {
      return errors.isEmpty()
          && duplicateEventIds == 0
          && statusChangeEventsOnCertainEntries == acknowledgedOnCertainEntries;
    }

    /**
     * The summary line's {@code lost}: changes lost plus log-fold mismatches, or -1 when the checks
     * could not establish it (an error while reading, or final tokens that never converged), so
     * that the line never says {@code lost=0} for a run whose loss check failed for want of
     * evidence.
     */
    public long lostOrUnknown() {
      return !errors.isEmpty() || !converged ? -1 : lostChanges() + logFoldMismatches;
    }

    /**
     * The summary line's {@code doubled}: duplicate event ids plus status-change events beyond the
     * acknowledged changes on entries whose status is certain, or -1 after an error.
     */
    public long doubledOrUnknown() {
      return !errors.isEmpty()
          ? -1
          : duplicateEventIds
              + Math.max(0, statusChangeEventsOnCertainEntries - acknowledgedOnCertainEntries);
    }
  }

  private DataChecks() {}

  public static Result run(
      Ledger ledger,
      List<ListRef> lists,
      List<RegistryInstance> instances,
      RegistryClient client,
      ECKey signingKey,
      KafkaAccess kafka,
      Duration convergenceTimeout) {
    List<String> errors = new ArrayList<>();
    Map<Ledger.Entry, Status> expected = ledger.expectedFinal();
    Set<Ledger.Entry> uncertain = ledger.uncertain();
    List<Ledger.Change> acked = ledger.acknowledged();

    // 1. Final tokens: poll every instance until each shows the expected statuses, bounded.
    long begin = System.nanoTime();
    long deadline = begin + convergenceTimeout.toNanos();
    List<String> mismatches = new ArrayList<>();
    long mismatchCount;
    long tokensChecked;
    while (true) {
      mismatches.clear();
      mismatchCount = 0;
      tokensChecked = 0;
      for (RegistryInstance instance : instances) {
        for (ListRef list : lists) {
          tokensChecked++;
          StatusListToken token;
          try {
            RegistryClient.Response r = client.fetchToken(instance, list);
            if (r.status() != 200) {
              mismatchCount++;
              addSample(mismatches, instance.name() + " " + list + ": HTTP " + r.status());
              continue;
            }
            token =
                StatusListToken.parse(
                    new String(r.body(), StandardCharsets.US_ASCII).trim(), signingKey);
          } catch (IOException | IllegalArgumentException e) {
            mismatchCount++;
            addSample(mismatches, instance.name() + " " + list + ": " + e.getMessage());
            continue;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add("interrupted while fetching final tokens");
            break;
          }
          for (Map.Entry<Ledger.Entry, Status> e : expected.entrySet()) {
            if (!e.getKey().list().equals(list)) {
              continue;
            }
            int actual = token.status(e.getKey().idx());
            if (actual != e.getValue().code()) {
              mismatchCount++;
              addSample(
                  mismatches,
                  instance.name()
                      + " "
                      + list
                      + "["
                      + e.getKey().idx()
                      + "]: token "
                      + actual
                      + ", last acknowledged "
                      + e.getValue());
            }
          }
        }
      }
      if (mismatchCount == 0 || System.nanoTime() > deadline || !errors.isEmpty()) {
        break;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        errors.add("interrupted while waiting for final tokens");
        break;
      }
    }
    Duration convergence = Duration.ofNanos(System.nanoTime() - begin);
    boolean converged = mismatchCount == 0;
    log.info(
        "Final tokens {} after {} ms ({} mismatches over {} tokens)",
        converged ? "match" : "DO NOT match",
        convergence.toMillis(),
        mismatchCount,
        tokensChecked);

    // 2. The event log.
    EventLog events;
    try {
      events = EventLog.read(kafka, Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      errors.add("reading " + EventLog.TOPIC + ": " + e);
      events = new EventLog(List.of(), Map.of(), 0, 0);
    }
    Set<String> logged = events.idCounts().keySet();
    long found = 0;
    long withoutId = 0;
    for (Ledger.Change c : acked) {
      if (c.eventIds().isEmpty()) {
        withoutId++;
      } else if (c.eventIds().stream().allMatch(logged::contains)) {
        found++;
      }
    }
    List<String> duplicates = events.duplicateIds();

    // 3. Fold the log per entry and count the changes to certain entries.
    Map<Ledger.Entry, Status> folded = new HashMap<>();
    long onCertain = 0;
    Set<Ledger.Entry> known = new HashSet<>(expected.keySet());
    for (StatusChanged c : events.statusChanges()) {
      Ledger.Entry entry =
          new Ledger.Entry(new ListRef(c.listId().issuer().value(), c.listId().name()), c.idx());
      folded.put(entry, c.status());
      if (known.contains(entry) && !uncertain.contains(entry)) {
        onCertain++;
      }
    }
    long ackedOnCertain =
        acked.stream()
            .filter(c -> !uncertain.contains(new Ledger.Entry(c.list(), c.idx())))
            .count();
    List<String> foldMismatches = new ArrayList<>();
    long foldMismatchCount = 0;
    for (Map.Entry<Ledger.Entry, Status> e : expected.entrySet()) {
      Status fromLog = folded.getOrDefault(e.getKey(), Status.VALID);
      if (fromLog != e.getValue()) {
        foldMismatchCount++;
        addSample(
            foldMismatches,
            e.getKey().list()
                + "["
                + e.getKey().idx()
                + "]: log folds to "
                + fromLog
                + ", last acknowledged "
                + e.getValue());
      }
    }
    return new Result(
        acked.size(),
        found,
        withoutId,
        expected.size(),
        uncertain.size(),
        mismatchCount,
        List.copyOf(mismatches),
        tokensChecked,
        convergence,
        converged,
        onCertain,
        ackedOnCertain,
        duplicates.size(),
        duplicates.stream().limit(SAMPLES).toList(),
        foldMismatchCount,
        List.copyOf(foldMismatches),
        events.records(),
        events.unreadable(),
        List.copyOf(errors));
  }

  private static void addSample(List<String> samples, String s) {
    if (samples.size() < SAMPLES) {
      samples.add(s);
    }
  }
}
