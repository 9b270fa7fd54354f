package io.statusreg.registry.tokens;

import io.statusreg.registry.lists.StatusList;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a status list so that re-publishing it after a change costs in proportion to the
 * change. Each non-zero page is its own raw DEFLATE segment, ended by a sync flush (an empty stored
 * block), so it ends on a byte boundary and starts with an empty window; a run of zero pages is one
 * segment, shared by every list whose run has the same length. The segments concatenated behind a
 * zlib header and before a final empty block form one valid zlib stream of the packed bytes, and
 * behind a gzip header one valid gzip member (the W3C form); the Adler-32 and CRC-32 trailers are
 * combined from the segments' own checksums, so no pass over the whole list is needed.
 *
 * <p>An instance remembers the segments of the pages it compressed, keyed by the page's identity
 * ({@link StatusList#pageIdentity}) in the persistent {@link StatusList} (a changed page is a new
 * array, an unchanged one is shared by the next version): compressing the next version of a list
 * recompresses only its changed pages. The cache holds at most the segments of the last list
 * compressed plus one per zero-run length. Not thread-safe: one instance per list (or per publisher
 * thread, one list at a time).
 */
public final class SegmentedDeflate {
  /** Zero pages merged into one segment at most (1 MiB: deflate's ratio caps near 1,000:1). */
  public static final int MAX_ZERO_RUN = 256;

  /** zlib's final empty fixed-Huffman block: BFINAL=1, BTYPE=01, end-of-block. */
  private static final byte[] FINAL_BLOCK = {0x03, 0x00};

  private final int level;
  private Object[] pageKeys = new Object[0];
  private Segment[] pageSegments = new Segment[0];
  private final Map<Integer, Segment> zeroRuns = new HashMap<>();
  private long segmentsCompressed;

  /**
   * One compressed piece of the packed bytes: a raw DEFLATE stream of {@code length} bytes ended by
   * a sync flush, with the Adler-32 and CRC-32 of those bytes. Immutable once built (callers must
   * not write into {@code deflated}).
   */
  public record Segment(byte[] deflated, int length, int adler, int crc) {
    /** Memory held by the segment, roughly (for size-bounded caches). */
    public long retainedBytes() {
      return deflated.length + 48L;
    }
  }

  public SegmentedDeflate(int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("zlib level must be 0-9, got " + level);
    }
    this.level = level;
  }

  public int level() {
    return level;
  }

  /** How many segments this instance has compressed so far (for tests and metrics). */
  public long segmentsCompressed() {
    return segmentsCompressed;
  }

  /** The list as one zlib stream (the IETF {@code lst} before base64url). */
  public byte[] zlib(StatusList list) {
    return zlib(segments(list));
  }

  /**
   * One zlib stream of the bytes of {@code segments}, in order (segments from {@link #segment} and
   * {@link #zeroRun}, possibly of other instances at the same level).
   */
  public byte[] zlib(Segment[] segments) {
    long total = 0;
    int adler = 1;
    for (Segment s : segments) {
      total += s.deflated().length;
      adler = adler32Combine(adler, s.adler(), s.length());
    }
    byte[] header = {0x78, (byte) zlibFlags(level)};
    byte[] trailer = {
      (byte) (adler >>> 24), (byte) (adler >>> 16), (byte) (adler >>> 8), (byte) adler
    };
    return assemble(header, segments, total, trailer);
  }

  /** The list as one gzip member (RFC 1952; the W3C {@code encodedList} before base64url). */
  public byte[] gzip(StatusList list) {
    return gzip(segments(list));
  }

  /** One gzip member of the bytes of {@code segments}, in order (as {@link #zlib(Segment[])}). */
  public byte[] gzip(Segment[] segments) {
    long total = 0;
    long length = 0;
    int crc = 0;
    for (Segment s : segments) {
      total += s.deflated().length;
      length += s.length();
      crc = crc32Combine(crc, s.crc(), s.length());
    }
    // ID1 ID2 CM=8 FLG=0 MTIME=0 XFL OS=255 (unknown): the same bytes for the same list.
    byte[] header = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, xfl(level), (byte) 0xff};
    int size = (int) length; // ISIZE: the length modulo 2^32
    byte[] trailer = {
      (byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24),
      (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)
    };
    return assemble(header, segments, total, trailer);
  }

  private Segment[] segments(StatusList list) {
    int count = list.pageCount();
    long length = list.byteLength();
    if (pageKeys.length != count) {
      pageKeys = new Object[count];
      pageSegments = new Segment[count];
    }
    java.util.ArrayList<Segment> out = new java.util.ArrayList<>();
    int p = 0;
    while (p < count) {
      Object page = list.pageIdentity(p);
      int bytes = (int) Math.min(StatusList.PAGE_BYTES, length - (long) p * StatusList.PAGE_BYTES);
      if (page == null) {
        int run = 1;
        pageKeys[p] = null;
        pageSegments[p] = null;
        while (p + run < count && run < MAX_ZERO_RUN && list.pageIdentity(p + run) == null) {
          pageKeys[p + run] = null;
          pageSegments[p + run] = null;
          run++;
        }
        long runBytes =
            Math.min((long) run * StatusList.PAGE_BYTES, length - (long) p * StatusList.PAGE_BYTES);
        out.add(zeroRun((int) runBytes));
        p += run;
        continue;
      }
      Segment s = pageSegments[p];
      if (s == null || s.length() != bytes || !page.equals(pageKeys[p])) {
        s = segment(list.page(p), 0, bytes);
        pageKeys[p] = page;
        pageSegments[p] = s;
      }
      out.add(s);
      p++;
    }
    return out.toArray(Segment[]::new);
  }

  /** Concatenates header, segments and trailer into one exact-size array. */
  private static byte[] assemble(byte[] header, Segment[] segments, long total, byte[] trailer) {
    long size = header.length + total + FINAL_BLOCK.length + trailer.length;
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("compressed list of " + size + " bytes does not fit");
    }
    byte[] out = new byte[(int) size];
    System.arraycopy(header, 0, out, 0, header.length);
    int at = header.length;
    for (Segment s : segments) {
      System.arraycopy(s.deflated(), 0, out, at, s.deflated().length);
      at += s.deflated().length;
    }
    System.arraycopy(FINAL_BLOCK, 0, out, at, FINAL_BLOCK.length);
    at += FINAL_BLOCK.length;
    System.arraycopy(trailer, 0, out, at, trailer.length);
    return out;
  }

  /**
   * The segment of {@code bytes} zero bytes, kept by length (at most {@value #MAX_ZERO_RUN} pages
   * long by the callers' choice; any length works).
   */
  public Segment zeroRun(int bytes) {
    Segment s = zeroRuns.get(bytes);
    if (s == null) {
      s = segment(new byte[bytes], 0, bytes);
      if (zeroRuns.size() > 2 * MAX_ZERO_RUN) {
        zeroRuns.clear();
      }
      zeroRuns.put(bytes, s);
    }
    return s;
  }

  /** Compresses {@code length} bytes of {@code data} from {@code offset} as one segment. */
  public Segment segment(byte[] data, int offset, int length) {
    segmentsCompressed++;
    Deflater deflater = new Deflater(level, true);
    try {
      deflater.setInput(data, offset, length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 16));
      byte[] buf = new byte[Math.max(256, Math.min(64 * 1024, length + 64))];
      while (true) {
        int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        out.write(buf, 0, n);
        if (n < buf.length && deflater.needsInput()) {
          break;
        }
      }
      Adler32 adler = new Adler32();
      adler.update(data, offset, length);
      CRC32 crc = new CRC32();
      crc.update(data, offset, length);
      return new Segment(out.toByteArray(), length, (int) adler.getValue(), (int) crc.getValue());
    } finally {
      deflater.end();
    }
  }

  private static int zlibFlags(int level) {
    int flevel = level < 2 ? 0 : level < 6 ? 1 : level == 6 ? 2 : 3;
    int flg = flevel << 6;
    return flg + (31 - ((0x78 << 8) + flg) % 31) % 31;
  }

  private static byte xfl(int level) {
    return (byte) (level == 9 ? 2 : level == 1 ? 4 : 0);
  }

  // ---------------------------------------------------------------- checksum combination

  private static final int BASE = 65521;

  /** zlib's adler32_combine: the Adler-32 of A then B from those of A and B and B's length. */
  static int adler32Combine(int adler1, int adler2, long len2) {
    long a1 = adler1 & 0xffffffffL;
    long a2 = adler2 & 0xffffffffL;
    long rem = len2 % BASE;
    long sum1 = a1 & 0xffff;
    long sum2 = (rem * sum1) % BASE;
    sum1 += (a2 & 0xffff) + BASE - 1;
    sum2 += ((a1 >>> 16) & 0xffff) + ((a2 >>> 16) & 0xffff) + BASE - rem;
    if (sum1 >= BASE) {
      sum1 -= BASE;
    }
    if (sum1 >= BASE) {
      sum1 -= BASE;
    }
    if (sum2 >= ((long) BASE << 1)) {
      sum2 -= ((long) BASE << 1);
    }
    if (sum2 >= BASE) {
      sum2 -= BASE;
    }
    return (int) (sum1 | (sum2 << 16));
  }

  private final Map<Long, int[]> crcShifts = new HashMap<>();

  /** zlib's crc32_combine, with the operator for each length computed once and kept. */
  int crc32Combine(int crc1, int crc2, long len2) {
    if (len2 <= 0) {
      return crc1 ^ crc2;
    }
    int[] op = crcShifts.computeIfAbsent(len2, SegmentedDeflate::crcShiftOperator);
    return gf2Times(op, crc1) ^ crc2;
  }

  /** The GF(2) matrix that appends {@code len} zero bytes to a CRC-32 register. */
  static int[] crcShiftOperator(long len) {
    int[] odd = new int[32];
    odd[0] = 0xedb88320;
    int row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    int[] even = new int[32];
    gf2Square(even, odd); // two zero bits
    gf2Square(odd, even); // four zero bits
    int[] result = null;
    while (true) {
      gf2Square(even, odd); // first pass: one zero byte
      if ((len & 1) != 0) {
        result = result == null ? even.clone() : gf2Compose(even, result);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
      gf2Square(odd, even);
      if ((len & 1) != 0) {
        result = result == null ? odd.clone() : gf2Compose(odd, result);
      }
      len >>>= 1;
      if (len == 0) {
        break;
      }
    }
    return result;
  }

  /** The matrix of {@code outer} after {@code inner}. */
  private static int[] gf2Compose(int[] outer, int[] inner) {
    int[] out = new int[32];
    for (int n = 0; n < 32; n++) {
      out[n] = gf2Times(outer, inner[n]);
    }
    return out;
  }

  private static int gf2Times(int[] mat, int vec) {
    int sum = 0;
    int i = 0;
    while (vec != 0) {
      if ((vec & 1) != 0) {
        sum ^= mat[i];
      }
      vec >>>= 1;
      i++;
    }
    return sum;
  }

  private static void gf2Square(int[] square, int[] mat) {
    for (int n = 0; n < 32; n++) {
      square[n] = gf2Times(mat, mat[n]);
    }
  }

  @Override
  public String toString() {
    return "SegmentedDeflate[level " + level + ", " + pageKeys.length + " pages]";
  }
}
