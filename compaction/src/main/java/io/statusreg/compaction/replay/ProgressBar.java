package io.statusreg.compaction.replay;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr: events done of total, events per second, time left. Redrawn at
 * most every 250 ms with a carriage return; ends with a newline.
 */
public final class ProgressBar implements ReplayProgress {
  private final PrintStream out;
  private final String label;
  private final long started = System.nanoTime();
  private long lastDraw;

  public ProgressBar(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  @Override
  public void update(long done, long total, boolean finished) {
    long now = System.nanoTime();
    if (!finished && now - lastDraw < 250_000_000L) {
      return;
    }
    lastDraw = now;
    out.print("\r" + line(done, total, (now - started) / 1e9));
    if (finished) {
      out.println();
    }
    out.flush();
  }

  /** The bar's text for {@code done} of {@code total} events after {@code seconds}. */
  public String line(long done, long total, double seconds) {
    double rate = seconds > 0 ? done / seconds : 0;
    double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 1.0;
    int width = 30;
    int filled = (int) Math.round(fraction * width);
    String eta =
        rate > 0 && total > done
            ? formatSeconds((total - done) / rate)
            : done >= total ? "0s" : "?";
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %5.1f%% %,d/%,d events  %,.0f ev/s  left %s   ",
        label,
        "#".repeat(filled),
        ".".repeat(width - filled),
        fraction * 100,
        done,
        total,
        rate,
        eta);
  }

  private static String formatSeconds(double s) {
    long t = Math.round(s);
    return t >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t % 3600 / 60)
        : t >= 60 ? String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60) : t + "s";
  }
}
