package io.statusreg.bench.capacity;

import io.statusreg.bench.results.Figure;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.ResultsJson;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The capacity model of {@code docs/capacity.md}, computed from the newest measured figures under
 * {@code bench/results/} (for each figure id, the value from the newest dated folder that has it)
 * and the load assumptions written below. {@code ./statusreg bench capacity} prints it, so the
 * document can be checked against the figures it cites.
 */
public final class CapacityModel {
  /**
   * A measured input: its value, the folder it came from (or why it is assumed), and the cores of
   * the machine that measured it ({@code machine.nproc} of its part; 0 when not recorded).
   */
  record Input(String id, double value, String source, int nproc) {}

  /** The bench machine's cores when a figure's part does not say (the 2-vCPU machine). */
  private static final int ASSUMED_NPROC = 2;

  private final Map<String, Input> inputs = new LinkedHashMap<>();
  private final Map<String, Input> figures;

  CapacityModel(Map<String, Input> figures) {
    this.figures = figures;
  }

  /** Newest value per figure id over every {@code <results>/<date>/parts/*.json}. */
  static Map<String, Input> latest(Path resultsRoot) {
    Map<String, Input> out = new LinkedHashMap<>();
    if (!Files.isDirectory(resultsRoot)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(resultsRoot)) {
      List<Path> sorted = dirs.filter(Files::isDirectory).sorted().toList();
      for (Path dir : sorted) {
        Path parts = dir.resolve("parts");
        if (!Files.isDirectory(parts)) {
          continue;
        }
        try (Stream<Path> files = Files.list(parts)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
            Part part = ResultsJson.read(f, Part.class);
            int nproc = part.machine() == null ? 0 : part.machine().nproc();
            for (Figure fig : part.figures()) {
              out.put(
                  fig.id(),
                  new Input(
                      fig.id(), fig.value(), dir.getFileName() + "/" + f.getFileName(), nproc));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resultsRoot, e);
    }
    return out;
  }

  private double measured(String id, double fallback, String why) {
    Input in = figures.get(id);
    if (in == null) {
      in = new Input(id, fallback, "NOT MEASURED: assumed (" + why + ")", 0);
    }
    inputs.put(id, in);
    return in.value();
  }

  /**
   * The cores of the machine that measured {@code id} (its part's {@code machine.nproc}), or those
   * of {@code otherwise} when {@code id} was not measured: a rate per machine becomes a cost per
   * core only with the machine it ran on.
   */
  private double coresOf(String id, String otherwise) {
    Input in = figures.get(id);
    if (in == null && otherwise != null) {
      return coresOf(otherwise, null);
    }
    String key = "machine.nproc of " + id;
    Input cores =
        in != null && in.nproc() > 0
            ? new Input(key, in.nproc(), in.source(), in.nproc())
            : new Input(key, ASSUMED_NPROC, "NOT MEASURED: assumed (the 2-vCPU bench machine)", 0);
    inputs.put(key, cores);
    return cores.value();
  }

  public static int run(Path resultsRoot, PrintStream out) {
    CapacityModel m = new CapacityModel(latest(resultsRoot));
    m.print(out);
    return 0;
  }

  private static String si(double v) {
    String[] units = {"", "k", "M", "G", "T", "P"};
    int u = 0;
    while (Math.abs(v) >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.3g%s", v, units[u]);
  }

  void print(PrintStream out) {
    // ---- load (assumptions, EU scale; see docs/capacity.md) ----
    double people = 450e6;
    double credentialsPerPerson = 3; // PID + two attestations
    double batch = 20; // entries per credential, for unlinkability
    double reissueDays = 21;
    double bits = 2;
    double listEntries = 10e6;
    double revokedPerMonth = 0.01; // of live credentials, each revoking its whole batch
    double massRevocation = 10e6; // entries, after a key compromise
    double verificationsPerPersonPerDay = 2;
    double verifierCacheHitRatio = 0.9; // fetches answered by the verifier's own cache (ttl)
    double peakFactor = 10;

    // ---- measured (broker, Streams, HTTP in one JVM on the bench machine) ----
    double bulk = measured("writes.bulk.changes_per_s", 28_000, "issue 14's quiet-machine figure");
    double raw = measured("writes.raw.records_per_s", 178_000, "issue 14's quiet-machine figure");
    double alloc =
        measured(
            "writes.alloc.indexes_per_s",
            bulk,
            "an index costs what a bulk change costs; pessimistic, a batch is one event");
    double fold = measured("replay.fold_alone.events_per_s", 1e6, "the goal");
    double replayRatio = measured("replay.ratio", 0.5, "the goal");
    double rawConsumer = measured("replay.raw_consumer.records_per_s", 300_000, "a guess");
    double eventBytes = measured("replay.bytes_per_event", 79, "binary StatusChanged");
    double republishMs = measured("republish.segmented.p50_ms", 200, "the goal");
    double republishListBytes = measured("republish.list.bytes", 100e6, "100M entries at 8 bits");
    double fetchRps = measured("reads.large.statusreg.rps", 8_000, "large token");
    double fetchTokenBytes = measured("reads.large.token_bytes", 150_000, "2M entries, 10% set");
    double rssEmpty = measured("scale.rss_empty_bytes", 360e6, "one dev JVM");
    double rssLoaded = measured("scale.rss_bytes", 550e6, "100x1M + 10M lists");
    double rocksDisk = measured("scale.rocksdb_disk_bytes", 334e6, "100x1M + 10M lists");
    double scaleEntries = 110e6; // what bench scale loads: 100 lists of 1M and one of 10M
    double bulkCores = coresOf("writes.bulk.changes_per_s", null);
    double allocCores = coresOf("writes.alloc.indexes_per_s", "writes.bulk.changes_per_s");
    double fetchMachineCores = coresOf("reads.large.statusreg.rps", null);

    // ---- derived load ----
    double entries = people * credentialsPerPerson * batch;
    double lists = Math.ceil(entries / listEntries);
    double allocPerS = entries / (reissueDays * 86_400);
    double changesPerS = entries * revokedPerMonth / (30 * 86_400);
    double fetchesPerS =
        people * verificationsPerPersonPerDay / 86_400 * (1 - verifierCacheHitRatio);
    double tokenBytes = tokenBytes(listEntries, bits, revokedPerMonth * 3);

    // ---- derived capacity ----
    double cpuPerChange = bulkCores / bulk; // core-seconds per status change through the API
    double cpuPerAlloc = allocCores / alloc; // core-seconds per allocated index
    double writeCores = peakFactor * (allocPerS * cpuPerAlloc + changesPerS * cpuPerChange);
    double massSeconds = massRevocation * cpuPerChange; // on one core, one partition
    double podCores = 4;
    double pods = Math.max(3, Math.ceil(writeCores / podCores / 0.5)); // run at half load
    double partitions = Math.max(pods * 4, Math.ceil(lists / 100));
    double bytesPerEntryMem = (rssLoaded - rssEmpty) / scaleEntries;
    double bytesPerEntryDisk = rocksDisk / scaleEntries;
    double memPerPod = rssEmpty + entries / pods * bytesPerEntryMem * 2; // owner + one standby
    double diskPerPod = entries / pods * bytesPerEntryDisk * 2;
    double eventsPerS = peakFactor * (allocPerS / batch + changesPerS);
    double brokerBytesPerS = eventsPerS * eventBytes * 3; // commands + events + replies
    double republishPerEntryNs = republishMs * 1e6 / (republishListBytes * 8 / 8);
    double listsChangedPerS = Math.min(lists, peakFactor * changesPerS);
    double publishCores =
        listsChangedPerS * republishMs / 1000 * (listEntries * bits / 8) / republishListBytes;
    double fetchCores =
        fetchesPerS / (fetchRps / fetchMachineCores) * (tokenBytes / fetchTokenBytes);
    double cdnEgress = people * verificationsPerPersonPerDay / 86_400 * tokenBytes;
    double replaySeconds = entries / batch / (rawConsumer * replayRatio);

    out.println(
        "statusreg capacity model (docs/capacity.md), from the newest figures under bench/results/");
    out.println();
    out.println("inputs:");
    inputs
        .values()
        .forEach(
            i -> out.printf(Locale.ROOT, "  %-36s %14s   %s%n", i.id(), si(i.value()), i.source()));
    out.println();
    out.println("load (assumed):");
    row(
        out,
        "live entries",
        entries,
        people + " people x " + credentialsPerPerson + " credentials x batch " + batch);
    row(out, "lists of " + si(listEntries) + " entries at " + (int) bits + " bits", lists, "");
    row(
        out,
        "allocated indexes/s, average",
        allocPerS,
        "re-issued every " + reissueDays + " days; peak x" + peakFactor);
    row(
        out,
        "status changes/s, average",
        changesPerS,
        revokedPerMonth * 100 + "% of entries a month");
    row(
        out,
        "origin fetches/s",
        fetchesPerS,
        "after " + verifierCacheHitRatio * 100 + "% verifier cache hits");
    row(out, "token bytes per list (estimate)", tokenBytes, "zlib of the list, entropy estimate");
    out.println();
    out.println("capacity (derived):");
    row(out, "CPU per change, core-us", cpuPerChange * 1e6, "cores / writes.bulk.changes_per_s");
    row(
        out,
        "CPU per allocated index, core-us",
        cpuPerAlloc * 1e6,
        "cores / writes.alloc.indexes_per_s");
    row(out, "write cores at peak", writeCores, "");
    row(out, "pods (" + (int) podCores + " cores, half loaded, >= 3)", pods, "");
    row(out, "partitions", partitions, ">= 4 per pod for rebalancing headroom");
    row(
        out,
        "memory per pod, bytes",
        memPerPod,
        "RSS empty + entries x (RSS per entry) x 2 (owner + standby)");
    row(out, "RocksDB disk per pod, bytes", diskPerPod, "entries x (disk per entry) x 2");
    row(
        out,
        "broker bytes/s at peak",
        brokerBytesPerS,
        "(commands + events + replies) x event bytes");
    row(out, "re-publish CPU per entry, ns", republishPerEntryNs, "segmented, after one change");
    row(
        out,
        "publish cores at peak",
        publishCores,
        "each changed list re-published once per interval");
    row(out, "origin fetch cores", fetchCores, "scaled by token size from reads.large");
    row(out, "CDN egress bytes/s, before verifier caches", cdnEgress, "");
    row(
        out,
        "mass revocation of " + si(massRevocation) + ", s on one partition",
        massSeconds,
        "bulk rate, one partition");
    row(out, "mass revocation, s, lists spread over all partitions", massSeconds / partitions, "");
    row(
        out,
        "full replay of a year's events, s, one consumer",
        replaySeconds * 365 / reissueDays,
        "raw consumer x replay.ratio");
    row(
        out,
        "full replay of a year's events, s, one per pod",
        replaySeconds * 365 / reissueDays / pods,
        "");
  }

  /** zlib size of a list with a fraction {@code set} of non-zero entries: entropy x 1.3. */
  static double tokenBytes(double entries, double bits, double set) {
    double p = Math.min(0.5, Math.max(1e-9, set));
    double h = -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
    return Math.max(entries * bits / 8 / 1000, entries * h / 8 * 1.3);
  }

  private static void row(PrintStream out, String what, double value, String how) {
    out.printf(Locale.ROOT, "  %-52s %12s   %s%n", what, si(value), how);
  }
}
