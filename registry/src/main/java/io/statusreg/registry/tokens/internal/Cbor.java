package io.statusreg.registry.tokens.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small, strict CBOR (RFC 8949) subset COSE_Sign1 status list tokens need.
 *
 * <p>Written by hand rather than through a general data binding because the signature covers exact
 * bytes (the protected header, the Sig_structure) and because untrusted input should meet a reader
 * that refuses what a token never needs: indefinite lengths, duplicate map keys, integers beyond 64
 * bits, nesting deeper than {@value #MAX_DEPTH}, lengths beyond the input, trailing bytes. Items
 * decode to {@link Long}, {@code byte[]} ({@link Bytes} as a map key), {@link String}, {@link
 * List}, {@link Map} (insertion order), {@link Tagged}, {@link Boolean}, {@link Double} and {@link
 * #NULL}.
 */
public final class Cbor {
  static final int MAX_DEPTH = 16;

  /** CBOR null and undefined. */
  public static final Object NULL = new Object();

  private Cbor() {}

  /** A tagged item. */
  public record Tagged(long tag, Object value) {}

  /**
   * A byte string used as a map key (ISO 18013-5 identifier lists key their map by identifier),
   * compared by content so that duplicate keys are still refused.
   */
  public record Bytes(byte[] value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Bytes b && Arrays.equals(b.value, value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "h'" + java.util.HexFormat.of().formatHex(value) + "'";
    }
  }

  /** Input that is not the accepted CBOR subset; the message can be shown to the sender. */
  public static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  // ------------------------------------------------------------------ writing

  /** Encoder producing definite lengths and the shortest integer forms. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public Writer tag(long tag) {
      head(6, tag);
      return this;
    }

    public Writer array(int size) {
      head(4, size);
      return this;
    }

    public Writer map(int size) {
      head(5, size);
      return this;
    }

    public Writer integer(long v) {
      if (v >= 0) {
        head(0, v);
      } else {
        head(1, -1 - v);
      }
      return this;
    }

    public Writer bytes(byte[] b) {
      head(2, b.length);
      out.writeBytes(b);
      return this;
    }

    public Writer text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      head(3, b.length);
      out.writeBytes(b);
      return this;
    }

    /** Appends bytes that already are one or more encoded CBOR items. */
    public Writer raw(byte[] encoded) {
      out.writeBytes(encoded);
      return this;
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }

    private void head(int major, long arg) {
      int mt = major << 5;
      if (arg < 24) {
        out.write(mt | (int) arg);
      } else if (arg < 0x100) {
        out.write(mt | 24);
        out.write((int) arg);
      } else if (arg < 0x10000) {
        out.write(mt | 25);
        out.write((int) (arg >>> 8));
        out.write((int) arg);
      } else if (arg < 0x1_0000_0000L) {
        out.write(mt | 26);
        for (int s = 24; s >= 0; s -= 8) {
          out.write((int) (arg >>> s));
        }
      } else {
        out.write(mt | 27);
        for (int s = 56; s >= 0; s -= 8) {
          out.write((int) (arg >>> s));
        }
      }
    }
  }

  // ------------------------------------------------------------------ reading

  /** Decodes exactly one item that spans all of {@code data}. */
  public static Object decode(byte[] data) throws Invalid {
    Reader r = new Reader(data);
    Object item = r.item(0);
    if (r.pos != data.length) {
      throw new Invalid((data.length - r.pos) + " bytes follow the CBOR item");
    }
    return item;
  }

  private static final class Reader {
    private final byte[] in;
    private int pos;

    Reader(byte[] in) {
      this.in = in;
    }

    Object item(int depth) throws Invalid {
      if (depth > MAX_DEPTH) {
        throw new Invalid("CBOR nested deeper than " + MAX_DEPTH);
      }
      int ib = u8();
      int major = ib >>> 5;
      int info = ib & 0x1f;
      if (info == 31) {
        throw new Invalid("indefinite-length CBOR items are not accepted");
      }
      if (major == 7) {
        return simple(info);
      }
      long arg = argument(info);
      switch (major) {
        case 0 -> {
          return nonNegative(arg);
        }
        case 1 -> {
          return -1 - nonNegative(arg);
        }
        case 2 -> {
          return take(arg);
        }
        case 3 -> {
          byte[] b = take(arg);
          try {
            return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b))
                .toString();
          } catch (CharacterCodingException e) {
            throw new Invalid("CBOR text string is not UTF-8");
          }
        }
        case 4 -> {
          int n = count(arg, 1);
          List<Object> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(item(depth + 1));
          }
          return list;
        }
        case 5 -> {
          int n = count(arg, 2);
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            Object key = item(depth + 1);
            if (key instanceof byte[] b) {
              key = new Bytes(b);
            }
            if (!(key instanceof Long || key instanceof String || key instanceof Bytes)) {
              throw new Invalid("CBOR map key must be an integer, a text or a byte string");
            }
            if (map.put(key, item(depth + 1)) != null) {
              throw new Invalid("CBOR map has the key " + key + " twice");
            }
          }
          return map;
        }
        default -> {
          return new Tagged(arg, item(depth + 1));
        }
      }
    }

    private Object simple(int info) throws Invalid {
      return switch (info) {
        case 20 -> Boolean.FALSE;
        case 21 -> Boolean.TRUE;
        case 22, 23 -> NULL;
        case 25 -> (double) Float.float16ToFloat((short) (int) fixed(2));
        case 26 -> (double) Float.intBitsToFloat((int) fixed(4));
        case 27 -> Double.longBitsToDouble(fixed(8));
        default -> throw new Invalid("unsupported CBOR simple value " + info);
      };
    }

    private long argument(int info) throws Invalid {
      if (info < 24) {
        return info;
      }
      return switch (info) {
        case 24 -> fixed(1);
        case 25 -> fixed(2);
        case 26 -> fixed(4);
        case 27 -> fixed(8);
        default -> throw new Invalid("reserved CBOR additional information " + info);
      };
    }

    private long fixed(int n) throws Invalid {
      if (in.length - pos < n) {
        throw new Invalid("CBOR truncated");
      }
      long v = 0;
      for (int i = 0; i < n; i++) {
        v = (v << 8) | (in[pos++] & 0xff);
      }
      return v;
    }

    private static long nonNegative(long arg) throws Invalid {
      if (arg < 0) {
        throw new Invalid("CBOR integer does not fit in 64 bits");
      }
      return arg;
    }

    private int count(long arg, int minBytesEach) throws Invalid {
      if (arg < 0 || arg > (long) (in.length - pos) / minBytesEach) {
        throw new Invalid("CBOR length " + Long.toUnsignedString(arg) + " exceeds the input");
      }
      return (int) arg;
    }

    private byte[] take(long arg) throws Invalid {
      int n = count(arg, 1);
      byte[] b = Arrays.copyOfRange(in, pos, pos + n);
      pos += n;
      return b;
    }

    private int u8() throws Invalid {
      if (pos >= in.length) {
        throw new Invalid("CBOR truncated");
      }
      return in[pos++] & 0xff;
    }
  }
}
