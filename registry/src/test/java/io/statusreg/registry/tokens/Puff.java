package io.statusreg.registry.tokens;

import java.io.ByteArrayOutputStream;

/**
 * An inflater written from RFC 1950/1951/1952 alone (after Mark Adler's puff), sharing no code with
 * java.util.zip or the bundled zlib: an independent reader for the streams {@link SegmentedDeflate}
 * writes. It checks the zlib header and Adler-32 (or the gzip header, CRC-32 and ISIZE) with its
 * own arithmetic and refuses trailing bytes. Slow, test-only.
 */
final class Puff {
  private final byte[] in;
  private int pos;
  private int bitBuf;
  private int bitCnt;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private byte[] window = new byte[1 << 16];
  private int outLen;

  private Puff(byte[] in, int start) {
    this.in = in;
    this.pos = start;
  }

  static byte[] zlib(byte[] data) {
    int cmf = data[0] & 0xff;
    int flg = data[1] & 0xff;
    if ((cmf & 0x0f) != 8 || (cmf >>> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0) {
      throw new IllegalStateException("bad zlib header");
    }
    Puff p = new Puff(data, 2);
    byte[] raw = p.inflate();
    int at = p.pos;
    long want = be32(data, at);
    if (adler(raw) != want) {
      throw new IllegalStateException("adler-32 mismatch");
    }
    if (at + 4 != data.length) {
      throw new IllegalStateException("bytes after the zlib stream");
    }
    return raw;
  }

  static byte[] gzip(byte[] data) {
    if ((data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b || data[2] != 8 || data[3] != 0) {
      throw new IllegalStateException("bad gzip header");
    }
    Puff p = new Puff(data, 10);
    byte[] raw = p.inflate();
    int at = p.pos;
    if (le32(data, at) != crc(raw) || le32(data, at + 4) != (raw.length & 0xffffffffL)) {
      throw new IllegalStateException("gzip trailer mismatch");
    }
    if (at + 8 != data.length) {
      throw new IllegalStateException("bytes after the gzip member");
    }
    return raw;
  }

  private static long be32(byte[] b, int at) {
    return ((b[at] & 0xffL) << 24)
        | ((b[at + 1] & 0xffL) << 16)
        | ((b[at + 2] & 0xffL) << 8)
        | (b[at + 3] & 0xffL);
  }

  private static long le32(byte[] b, int at) {
    return ((b[at + 3] & 0xffL) << 24)
        | ((b[at + 2] & 0xffL) << 16)
        | ((b[at + 1] & 0xffL) << 8)
        | (b[at] & 0xffL);
  }

  static long adler(byte[] b) {
    long a = 1;
    long s = 0;
    for (byte x : b) {
      a = (a + (x & 0xff)) % 65521;
      s = (s + a) % 65521;
    }
    return (s << 16) | a;
  }

  static long crc(byte[] b) {
    long c = 0xffffffffL;
    for (byte x : b) {
      c ^= x & 0xff;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0xedb88320L : c >>> 1;
      }
    }
    return c ^ 0xffffffffL;
  }

  private int bits(int need) {
    long val = bitBuf;
    while (bitCnt < need) {
      if (pos >= in.length) {
        throw new IllegalStateException("out of input");
      }
      val |= (long) (in[pos++] & 0xff) << bitCnt;
      bitCnt += 8;
    }
    bitBuf = (int) (val >>> need);
    bitCnt -= need;
    return (int) (val & ((1L << need) - 1));
  }

  private void emit(int b) {
    out.write(b);
    window[outLen & 0xffff] = (byte) b;
    outLen++;
  }

  private byte[] inflate() {
    int last;
    do {
      last = bits(1);
      int type = bits(2);
      switch (type) {
        case 0 -> stored();
        case 1 -> codes(FIXED_LEN, FIXED_DIST);
        case 2 -> dynamic();
        default -> throw new IllegalStateException("invalid block type");
      }
    } while (last == 0);
    bitBuf = 0;
    bitCnt = 0; // the trailer starts at the next byte
    return out.toByteArray();
  }

  private void stored() {
    bitBuf = 0;
    bitCnt = 0;
    int len = (in[pos] & 0xff) | ((in[pos + 1] & 0xff) << 8);
    int nlen = (in[pos + 2] & 0xff) | ((in[pos + 3] & 0xff) << 8);
    if (len != (~nlen & 0xffff)) {
      throw new IllegalStateException("stored length mismatch");
    }
    pos += 4;
    for (int i = 0; i < len; i++) {
      emit(in[pos++] & 0xff);
    }
  }

  /** A canonical Huffman code: counts per length and symbols in code order. */
  record Huffman(short[] count, short[] symbol) {
    static Huffman of(short[] lengths, int n) {
      short[] count = new short[16];
      for (int s = 0; s < n; s++) {
        count[lengths[s]]++;
      }
      short[] offs = new short[16];
      for (int len = 1; len < 15; len++) {
        offs[len + 1] = (short) (offs[len] + count[len]);
      }
      short[] symbol = new short[n];
      for (int s = 0; s < n; s++) {
        if (lengths[s] != 0) {
          symbol[offs[lengths[s]]++] = (short) s;
        }
      }
      return new Huffman(count, symbol);
    }
  }

  private int decode(Huffman h) {
    int code = 0;
    int first = 0;
    int index = 0;
    for (int len = 1; len <= 15; len++) {
      code |= bits(1);
      int count = h.count()[len];
      if (code - count < first) {
        return h.symbol()[index + (code - first)];
      }
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new IllegalStateException("ran out of codes");
  }

  private static final short[] LBASE = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258
  };
  private static final short[] LEXT = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0
  };
  private static final short[] DBASE = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049,
    3073, 4097, 6145, 8193, 12289, 16385, 24577
  };
  private static final short[] DEXT = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13
  };

  private static final Huffman FIXED_LEN;
  private static final Huffman FIXED_DIST;

  static {
    short[] l = new short[288];
    for (int s = 0; s < 288; s++) {
      l[s] = (short) (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8);
    }
    FIXED_LEN = Huffman.of(l, 288);
    short[] d = new short[30];
    java.util.Arrays.fill(d, (short) 5);
    FIXED_DIST = Huffman.of(d, 30);
  }

  private void codes(Huffman lencode, Huffman distcode) {
    while (true) {
      int symbol = decode(lencode);
      if (symbol < 256) {
        emit(symbol);
      } else if (symbol == 256) {
        return;
      } else {
        symbol -= 257;
        if (symbol >= 29) {
          throw new IllegalStateException("invalid length symbol");
        }
        int len = LBASE[symbol] + bits(LEXT[symbol]);
        int ds = decode(distcode);
        if (ds >= 30) {
          throw new IllegalStateException("invalid distance symbol");
        }
        int dist = DBASE[ds] + bits(DEXT[ds]);
        if (dist > outLen) {
          throw new IllegalStateException("distance too far back");
        }
        for (int i = 0; i < len; i++) {
          emit(window[(outLen - dist) & 0xffff] & 0xff);
        }
      }
    }
  }

  private static final int[] ORDER = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15
  };

  private void dynamic() {
    int nlen = bits(5) + 257;
    int ndist = bits(5) + 1;
    int ncode = bits(4) + 4;
    short[] lengths = new short[320];
    for (int i = 0; i < ncode; i++) {
      lengths[ORDER[i]] = (short) bits(3);
    }
    Huffman lencode = Huffman.of(lengths, 19);
    int index = 0;
    short[] all = new short[nlen + ndist];
    while (index < nlen + ndist) {
      int symbol = decode(lencode);
      if (symbol < 16) {
        all[index++] = (short) symbol;
      } else {
        int len = 0;
        int repeat;
        if (symbol == 16) {
          if (index == 0) {
            throw new IllegalStateException("repeat with no first length");
          }
          len = all[index - 1];
          repeat = 3 + bits(2);
        } else if (symbol == 17) {
          repeat = 3 + bits(3);
        } else {
          repeat = 11 + bits(7);
        }
        if (index + repeat > nlen + ndist) {
          throw new IllegalStateException("too many lengths");
        }
        while (repeat-- > 0) {
          all[index++] = (short) len;
        }
      }
    }
    short[] litLengths = java.util.Arrays.copyOfRange(all, 0, nlen);
    short[] distLengths = java.util.Arrays.copyOfRange(all, nlen, nlen + ndist);
    codes(Huffman.of(litLengths, nlen), Huffman.of(distLengths, ndist));
  }
}
