package io.statusreg.streams.publication;

import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.SegmentedDeflate;
import io.statusreg.registry.tokens.SegmentedDeflate.Segment;
import io.statusreg.registry.tokens.W3cForm;
import java.util.ArrayList;
import java.util.List;

/**
 * One list's compressed pages, kept between publications by {@link SegmentCache}: for every page
 * its DEFLATE segment in the IETF form (packed bytes, for the JWT and CWT {@code lst}) and in the
 * W3C form (the bitstring of {@link W3cForm}, for {@code encodedList}; the same segment when the
 * bytes are the same, 8-bit lists as stored), and its entry counts for the token's histogram. A
 * page that holds only VALID entries has no segment: runs of them are zero-run segments.
 *
 * <p>Not thread-safe: used by one publisher at a time (the cache hands it out to one taker).
 */
final class ListSegments {
  /** Zero bytes merged into one segment at most. */
  private static final int ZERO_CHUNK = SegmentedDeflate.MAX_ZERO_RUN * StatusList.PAGE_BYTES;

  private final Object owner;
  private final int bits;
  private final long size;
  private final int level;
  private final W3cForm form;
  private final long ietfBytes;
  private final long w3cBytes;
  private final int w3cPart;
  private final Segment[] ietf;
  private final Segment[] w3c;
  private final int[][] counts;
  private final long[] nonZero;
  private long retained;
  private long accounted;

  private ListSegments(Object owner, int bits, long size, int level, W3cForm form) {
    this.owner = owner;
    this.bits = bits;
    this.size = size;
    this.level = level;
    this.form = form;
    this.ietfBytes = StatusList.byteLength(bits, size);
    this.w3cBytes = form.bitstringBytes(size);
    this.w3cPart = form.bytesPerPage(bits);
    int pages = StatusList.pageCount(bits, size);
    this.ietf = new Segment[pages];
    this.w3c = new Segment[pages];
    this.counts = new int[pages][];
    this.nonZero = new long[1 << bits];
    this.retained = 64L + 24L * pages;
  }

  /** Compresses every page of a list from {@code pages}. */
  static ListSegments build(
      Object owner, int bits, long size, W3cForm form, SegmentedDeflate deflate, PageSource pages) {
    ListSegments s = new ListSegments(owner, bits, size, deflate.level(), form);
    pages.forEachPage(
        (bytes, n) -> {
          if (n >= 0 && n < s.ietf.length) {
            s.set(n, bytes, deflate);
          }
        });
    return s;
  }

  /** Whether these segments are of a list of this shape, in this form, at this level. */
  boolean fits(int bits, long size, W3cForm form, int level) {
    return this.bits == bits && this.size == size && this.form.equals(form) && this.level == level;
  }

  /** Compresses again the pages {@code changed} (page numbers; others are as last time). */
  void update(int[] changed, PageSource pages, SegmentedDeflate deflate) {
    for (int n : changed) {
      if (n >= 0 && n < ietf.length) {
        set(n, pages.page(n), deflate);
      }
    }
  }

  private void set(int n, byte[] page, SegmentedDeflate deflate) {
    clear(n);
    if (page == null || isZero(page, 0, page.length)) {
      return;
    }
    int ietfLength =
        (int) Math.min(StatusList.PAGE_BYTES, ietfBytes - (long) n * StatusList.PAGE_BYTES);
    ietf[n] = deflate.segment(page, 0, ietfLength);
    int w3cLength = (int) Math.min(w3cPart, w3cBytes - (long) n * w3cPart);
    if (form.sharesPages(bits) && w3cLength == ietfLength) {
      w3c[n] = ietf[n];
    } else {
      byte[] part = form.bitstringPage(page, bits);
      w3c[n] = isZero(part, 0, w3cLength) ? null : deflate.segment(part, 0, w3cLength);
    }
    counts[n] = count(page, ietfLength);
    for (int c : counts[n]) {
      nonZero[c >>> 16] += c & 0xffff;
    }
    retained += ietf[n].retainedBytes() + 16L + 4L * counts[n].length;
    if (w3c[n] != null && w3c[n] != ietf[n]) {
      retained += w3c[n].retainedBytes();
    }
  }

  private void clear(int n) {
    if (ietf[n] != null) {
      retained -= ietf[n].retainedBytes() + 16L + 4L * counts[n].length;
      if (w3c[n] != null && w3c[n] != ietf[n]) {
        retained -= w3c[n].retainedBytes();
      }
      for (int c : counts[n]) {
        nonZero[c >>> 16] -= c & 0xffff;
      }
    }
    ietf[n] = null;
    w3c[n] = null;
    counts[n] = null;
  }

  /** The page's non-zero values and how often each occurs, as {@code value << 16 | count}. */
  private int[] count(byte[] page, int length) {
    int[] byValue = new int[1 << bits];
    int perByte = 8 / bits;
    int mask = (1 << bits) - 1;
    for (int i = 0; i < length; i++) {
      int b = page[i] & 0xff;
      if (b == 0) {
        continue;
      }
      for (int e = 0; e < perByte; e++) {
        byValue[(b >>> (e * bits)) & mask]++;
      }
    }
    int distinct = 0;
    for (int v = 1; v < byValue.length; v++) {
      if (byValue[v] > 0) {
        distinct++;
      }
    }
    int[] out = new int[distinct];
    int i = 0;
    for (int v = 1; v < byValue.length; v++) {
      if (byValue[v] > 0) {
        out[i++] = v << 16 | byValue[v];
      }
    }
    return out;
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Entries per status value (index = value), as {@link StatusList#histogram}. */
  long[] histogram() {
    long[] out = nonZero.clone();
    long set = 0;
    for (int v = 1; v < out.length; v++) {
      set += out[v];
    }
    out[0] = size - set;
    return out;
  }

  /** The packed list as one zlib stream (the IETF {@code lst}). */
  byte[] zlib(SegmentedDeflate deflate) {
    return deflate.zlib(assemble(ietf, StatusList.PAGE_BYTES, ietfBytes, deflate));
  }

  /** The W3C bitstring as one gzip member (the {@code encodedList} before multibase). */
  byte[] gzip(SegmentedDeflate deflate) {
    return deflate.gzip(assemble(w3c, w3cPart, w3cBytes, deflate));
  }

  /**
   * The segments of a form in order: each page's, and zero-run segments for the zero bytes between
   * (and after, up to {@code total} bytes).
   */
  private static Segment[] assemble(
      Segment[] parts, int partBytes, long total, SegmentedDeflate deflate) {
    List<Segment> out = new ArrayList<>();
    long zeros = 0;
    long at = 0;
    for (int n = 0; n < parts.length && at < total; n++) {
      int length = (int) Math.min(partBytes, total - at);
      if (parts[n] == null) {
        zeros += length;
      } else {
        zeros(out, zeros, deflate);
        zeros = 0;
        out.add(parts[n]);
      }
      at += length;
    }
    zeros(out, zeros + (total - at), deflate);
    return out.toArray(Segment[]::new);
  }

  /**
   * Zero runs of whole chunks, then the rest as power-of-two lengths: a small, fixed set of
   * lengths, so the deflater's zero-run segments are made once and reused.
   */
  private static void zeros(List<Segment> out, long count, SegmentedDeflate deflate) {
    while (count >= ZERO_CHUNK) {
      out.add(deflate.zeroRun(ZERO_CHUNK));
      count -= ZERO_CHUNK;
    }
    for (int bit = Integer.highestOneBit(ZERO_CHUNK); bit > 0; bit >>>= 1) {
      if ((count & bit) != 0) {
        out.add(deflate.zeroRun(bit));
      }
    }
  }

  Object owner() {
    return owner;
  }

  /** Memory these segments hold, roughly. */
  long retainedBytes() {
    return retained;
  }

  /** What the cache counted for this entry when it was put. */
  long accounted() {
    return accounted;
  }

  void accounted(long bytes) {
    accounted = bytes;
  }
}
