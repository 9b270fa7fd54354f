package io.statusreg.bench.report;

import io.statusreg.bench.results.Series;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * PNG charts drawn with Java2D: lines over a linear x axis ({@link Series#LINE}), or latency by
 * percentile ({@link Series#PERCENTILES}) over an x axis stretched towards the tail ({@code
 * -log10(100 - p)}, so 50, 90, 99 and 99.9 are evenly spaced).
 */
public final class Charts {
  static final int WIDTH = 900;
  static final int HEIGHT = 500;
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b)
  };
  private static final double[] PERCENTILE_TICKS = {0, 50, 90, 99, 99.9, 99.99};

  private Charts() {}

  /** Draws {@code series} into {@code file}. */
  public static void write(Series series, Path file) {
    BufferedImage img = render(series);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(img, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("writing chart " + file, e);
    }
  }

  static double xOf(Series s, double x) {
    if (!Series.PERCENTILES.equals(s.kind())) {
      return x;
    }
    return -Math.log10(Math.max(0.001, 100 - x));
  }

  public static BufferedImage render(Series s) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      int left = 80;
      int right = WIDTH - 180;
      int top = 50;
      int bottom = HEIGHT - 60;
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(s.title(), left, 28);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

      double minX = Double.POSITIVE_INFINITY;
      double maxX = Double.NEGATIVE_INFINITY;
      double maxY = 0;
      for (Series.Line l : s.lines()) {
        for (Series.Point p : l.points()) {
          if (!Double.isFinite(p.y()) || !Double.isFinite(p.x())) {
            continue;
          }
          minX = Math.min(minX, xOf(s, p.x()));
          maxX = Math.max(maxX, xOf(s, p.x()));
          maxY = Math.max(maxY, p.y());
        }
      }
      if (!Double.isFinite(minX)) {
        g.drawString("no data", left + 20, (top + bottom) / 2);
        return img;
      }
      if (maxX <= minX) {
        maxX = minX + 1;
      }
      maxY = niceCeiling(maxY <= 0 ? 1 : maxY * 1.05);

      // Axes and grid.
      g.setColor(new Color(0xdddddd));
      for (int i = 0; i <= 5; i++) {
        int y = bottom - (bottom - top) * i / 5;
        g.drawLine(left, y, right, y);
      }
      g.setColor(Color.BLACK);
      g.drawLine(left, bottom, right, bottom);
      g.drawLine(left, top, left, bottom);
      FontMetrics fm = g.getFontMetrics();
      for (int i = 0; i <= 5; i++) {
        double v = maxY * i / 5;
        int y = bottom - (bottom - top) * i / 5;
        String label = number(v);
        g.drawString(label, left - 6 - fm.stringWidth(label), y + 4);
      }
      List<double[]> xticks = new ArrayList<>();
      if (Series.PERCENTILES.equals(s.kind())) {
        for (double t : PERCENTILE_TICKS) {
          double xv = xOf(s, t);
          if (xv >= minX - 1e-9 && xv <= maxX + 1e-9) {
            xticks.add(new double[] {xv, t});
          }
        }
      } else {
        for (int i = 0; i <= 5; i++) {
          double xv = minX + (maxX - minX) * i / 5;
          xticks.add(new double[] {xv, xv});
        }
      }
      for (double[] t : xticks) {
        int x = (int) (left + (right - left) * (t[0] - minX) / (maxX - minX));
        g.drawLine(x, bottom, x, bottom + 4);
        String label =
            Series.PERCENTILES.equals(s.kind())
                ? java.math.BigDecimal.valueOf(t[1]).stripTrailingZeros().toPlainString()
                : number(t[1]);
        g.drawString(label, x - fm.stringWidth(label) / 2, bottom + 18);
      }
      g.drawString(s.xLabel(), (left + right) / 2 - fm.stringWidth(s.xLabel()) / 2, bottom + 40);
      Graphics2D gy = (Graphics2D) g.create();
      gy.rotate(-Math.PI / 2);
      gy.drawString(s.yLabel(), -(top + bottom) / 2 - fm.stringWidth(s.yLabel()) / 2, 18);
      gy.dispose();

      // Lines and legend.
      int li = 0;
      for (Series.Line l : s.lines()) {
        Color c = PALETTE[li % PALETTE.length];
        g.setColor(c);
        g.setStroke(new BasicStroke(2f));
        int px = -1;
        int py = -1;
        for (Series.Point p : l.points()) {
          if (!Double.isFinite(p.y()) || !Double.isFinite(p.x())) {
            continue;
          }
          int x = (int) (left + (right - left) * (xOf(s, p.x()) - minX) / (maxX - minX));
          int y = (int) (bottom - (bottom - top) * (p.y() / maxY));
          if (px >= 0) {
            g.drawLine(px, py, x, y);
          }
          g.fillOval(x - 3, y - 3, 6, 6);
          px = x;
          py = y;
        }
        int ly = top + 10 + li * 20;
        g.fillRect(right + 15, ly - 8, 14, 10);
        g.setColor(Color.BLACK);
        g.drawString(l.name(), right + 35, ly + 2);
        li++;
      }
      return img;
    } finally {
      g.dispose();
    }
  }

  static double niceCeiling(double v) {
    double exp = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * exp >= v) {
        return m * exp;
      }
    }
    return 10 * exp;
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
