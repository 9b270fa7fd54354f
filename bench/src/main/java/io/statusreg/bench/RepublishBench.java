package io.statusreg.bench;

import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.SegmentedDeflate;
import io.statusreg.registry.tokens.StatusListEncoding;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Re-publishing a big list after one change: the segmented compressor (only the changed page is
 * compressed again) against compressing the whole list, both at the publication level, in the same
 * run. The figure is what the publisher pays per list beyond signing: zlib bytes and their
 * base64url {@code lst} text (the JWT form).
 *
 * <pre>java -Xmx3g ... io.statusreg.bench.RepublishBench [entries=100000000] [bits=8]
 *     [fraction=0.01] [changes=50] [level=6]</pre>
 *
 * <p>With {@code -Dstatusreg.bench.part=<file>} the figures are also written as a results part
 * (benchmark {@code republish}).
 */
public final class RepublishBench {
  private RepublishBench() {}

  public static void main(String[] args) {
    long entries = args.length > 0 ? Long.parseLong(args[0]) : 100_000_000L;
    int bits = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    double fraction = args.length > 2 ? Double.parseDouble(args[2]) : 0.01;
    int changes = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    int level = args.length > 4 ? Integer.parseInt(args[4]) : 6;
    SplittableRandom random = new SplittableRandom(42);
    int max = (1 << bits) - 1;
    StatusList.Editor editor = StatusList.empty(bits, entries).edit();
    long set = (long) (entries * fraction);
    for (long i = 0; i < set; i++) {
      editor.set(random.nextLong(entries), 1 + random.nextInt(max));
    }
    StatusList list = editor.list();
    System.out.printf(
        Locale.ROOT,
        "republish bench: %,d entries at %d bits (%,d bytes), %.2f%% set, level %d%n",
        entries,
        bits,
        list.byteLength(),
        fraction * 100,
        level);

    SegmentedDeflate segmented = new SegmentedDeflate(level);
    long t0 = System.nanoTime();
    byte[] first = segmented.zlib(list);
    double firstMs = (System.nanoTime() - t0) / 1e6;

    StatusListEncoding whole = StatusListEncoding.level(level);
    double[] wholeMs = new double[3];
    byte[] wholeBytes = null;
    for (int r = 0; r < wholeMs.length; r++) {
      long w0 = System.nanoTime();
      wholeBytes = whole.compress(list);
      Base64.getUrlEncoder().withoutPadding().encodeToString(wholeBytes);
      wholeMs[r] = (System.nanoTime() - w0) / 1e6;
    }

    double[] changeMs = new double[changes];
    byte[] last = first;
    for (int c = 0; c < changes; c++) {
      list = list.with(random.nextLong(entries), 1 + random.nextInt(max));
      long c0 = System.nanoTime();
      last = segmented.zlib(list);
      Base64.getUrlEncoder().withoutPadding().encodeToString(last);
      changeMs[c] = (System.nanoTime() - c0) / 1e6;
    }
    byte[] check = StatusListEncoding.inflate(last, list.byteLength());
    if (!Arrays.equals(check, list.toBytes())) {
      throw new IllegalStateException("segmented stream does not inflate to the list");
    }
    Arrays.sort(changeMs);
    Arrays.sort(wholeMs);
    System.out.printf(
        Locale.ROOT,
        "first segmented compress %.0f ms (%,d bytes); whole-list compress + base64url median %.0f"
            + " ms (%,d bytes)%n",
        firstMs,
        first.length,
        wholeMs[1],
        wholeBytes.length);
    System.out.printf(
        Locale.ROOT,
        "after one change: segmented compress + base64url p50 %.1f ms, max %.1f ms over %d"
            + " changes (%,d bytes, %.2fx the whole-list size); speed-up %.0fx%n",
        changeMs[changeMs.length / 2],
        changeMs[changeMs.length - 1],
        changes,
        last.length,
        last.length / (double) wholeBytes.length,
        wholeMs[1] / changeMs[changeMs.length / 2]);
    String part = System.getProperty("statusreg.bench.part", "");
    if (!part.isEmpty()) {
      String how =
          String.format(
              Locale.ROOT,
              "java -Xmx3g -cp $BENCH_CP -Dstatusreg.bench.part=<file>"
                  + " io.statusreg.bench.RepublishBench %d %d %s %d %d",
              entries,
              bits,
              fraction,
              changes,
              level);
      String what =
          String.format(
              Locale.ROOT,
              "%,d entries at %d bits, %.2f%% set, level %d",
              entries,
              bits,
              fraction * 100,
              level);
      PartRecorder rec = new PartRecorder("republish", how);
      rec.figure(
          "segmented.p50_ms",
          "after one change, segmented zlib + base64url, p50 (" + what + ")",
          changeMs[changeMs.length / 2],
          "ms",
          how);
      rec.figure(
          "segmented.max_ms",
          "after one change, segmented zlib + base64url, max of " + changes,
          changeMs[changeMs.length - 1],
          "ms",
          how);
      rec.figure(
          "whole.median_ms",
          "whole-list zlib + base64url, median of 3 (" + what + ")",
          wholeMs[1],
          "ms",
          how);
      rec.figure("segmented.bytes", "segmented zlib size", last.length, "bytes", how);
      rec.figure("whole.bytes", "whole-list zlib size", wholeBytes.length, "bytes", how);
      rec.figure("list.bytes", "packed list size", list.byteLength(), "bytes", how);
      rec.write(java.nio.file.Path.of(part), Part.OK);
    }
  }
}
