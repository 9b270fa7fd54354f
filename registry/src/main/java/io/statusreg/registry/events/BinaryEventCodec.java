package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The binary form of {@link EventCodec}, at the same schema version as the JSON form of the same
 * event ({@link EventCodec#versionOf}); the layout is documented there. Decoding checks every
 * length against the record, refuses trailing bytes, and validates every value through the same
 * constructors as the JSON form. List ids, actors and reasons repeat on almost every record of a
 * log, so their parsed forms are kept in small bounded caches keyed by their bytes in the record: a
 * repeated one is compared byte for byte and neither decoded into a string nor validated again (it
 * was validated once, when it entered the cache).
 */
final class BinaryEventCodec {
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private static final int CACHE_SLOTS = 4096;
  private static final ByteKeyCache<ListId> LISTS = new ByteKeyCache<>(CACHE_SLOTS);
  private static final ByteKeyCache<Actor> ACTORS = new ByteKeyCache<>(CACHE_SLOTS);
  private static final ByteKeyCache<Reason> REASONS = new ByteKeyCache<>(64);
  private static final Map<String, Reason> REASON_CODES = new HashMap<>();
  private static final Actor.Kind[] ACTOR_KINDS = Actor.Kind.values();

  static {
    for (Reason r : Reason.values()) {
      REASON_CODES.put(r.code(), r);
    }
  }

  private BinaryEventCodec() {}

  // ---------------------------------------------------------------- encoding

  /**
   * Whether every string of the event is well-formed UTF-16, so that UTF-8 carries it losslessly.
   */
  static boolean encodable(RegistryEvent event) {
    return wellFormed(event.actor().subject()) && wellFormed(event.listId().key());
  }

  private static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static byte[] encode(RegistryEvent event) {
    byte[] list = event.listId().key().getBytes(StandardCharsets.UTF_8);
    byte[] sub = event.actor().subject().getBytes(StandardCharsets.UTF_8);
    if (list.length > 0xFFFF || sub.length > 0xFFFF) {
      throw new RegistryException("event " + event.id() + " has a field too long to encode");
    }
    int version = EventCodec.versionOf(event);
    byte[] reason =
        switch (event) {
          case StatusChanged c -> c.reason().code().getBytes(StandardCharsets.UTF_8);
          case IdentifierRevoked c -> c.reason().code().getBytes(StandardCharsets.UTF_8);
          default -> null;
        };
    int body =
        switch (event) {
          case ListCreated e -> 4 + 8 + 8 + 8 + 1 + 16 + (version >= 2 ? 1 : 0);
          case IndexesAllocated e -> 8 + 4;
          case StatusChanged e -> 8 + 1 + 1 + 1 + reason.length;
          case ListFull e -> 8;
          case ListRetired e -> 0;
          case IdentifierRevoked e -> 8 + IdentifierCipher.IDENTIFIER_BYTES + 1 + reason.length;
        };
    ByteBuffer b = ByteBuffer.allocate(3 + 16 + 8 + 1 + 2 + list.length + 2 + sub.length + body);
    b.put(EventCodec.MAGIC).put((byte) version).put(typeCode(event));
    UUID id = event.id().value();
    b.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    b.putLong(event.at().toEpochMilli());
    b.put(kindCode(event.actor().kind()));
    b.putShort((short) list.length).put(list);
    b.putShort((short) sub.length).put(sub);
    switch (event) {
      case ListCreated e -> {
        b.putInt(e.bits()).putLong(e.size()).putLong(e.ttl().toSeconds());
        b.putLong(e.validity().toSeconds()).put(purposeCode(e.purpose()));
        b.putLong(e.permutationKey().k0()).putLong(e.permutationKey().k1());
        if (version >= 2) {
          b.put(listKindCode(e.kind()));
        }
      }
      case IndexesAllocated e -> b.putLong(e.fromCursor()).putInt(e.count());
      case StatusChanged e -> {
        b.put((byte) e.previous().code()).put((byte) e.status().code());
        b.put((byte) reason.length).put(reason);
        b.putLong(e.idx());
      }
      case ListFull e -> b.putLong(e.cursor());
      case ListRetired e -> {}
      case IdentifierRevoked e -> {
        b.putLong(e.slot()).put(e.identifier());
        b.put((byte) reason.length).put(reason);
      }
    }
    return b.array();
  }

  private static byte typeCode(RegistryEvent event) {
    return switch (event) {
      case ListCreated e -> 1;
      case IndexesAllocated e -> 2;
      case StatusChanged e -> 3;
      case ListFull e -> 4;
      case ListRetired e -> 5;
      case IdentifierRevoked e -> 6;
    };
  }

  private static byte listKindCode(ListKind kind) {
    return switch (kind) {
      case STATUS_LIST -> 1;
      case IDENTIFIER_LIST -> 2;
    };
  }

  private static byte kindCode(Actor.Kind kind) {
    return switch (kind) {
      case ISSUER -> 1;
      case OPERATOR -> 2;
      case SYSTEM -> 3;
    };
  }

  private static byte purposeCode(Purpose purpose) {
    return switch (purpose) {
      case REVOCATION -> 1;
      case SUSPENSION -> 2;
      case MESSAGE -> 3;
    };
  }

  // ---------------------------------------------------------------- decoding

  static RegistryEvent decode(byte[] bytes) {
    Reader r = new Reader(bytes);
    r.u8(); // magic, checked by the caller
    int version = r.u8();
    if (version != EventCodec.VERSION && version != EventCodec.IDENTIFIER_VERSION) {
      throw new RegistryException.InvalidInput("unsupported binary event version " + version);
    }
    int type = r.u8();
    EventId id = new EventId(new UUID(r.i64(), r.i64()));
    Instant at = Instant.ofEpochMilli(r.i64());
    Actor.Kind kind =
        switch (r.u8()) {
          case 1 -> Actor.Kind.ISSUER;
          case 2 -> Actor.Kind.OPERATOR;
          case 3 -> Actor.Kind.SYSTEM;
          default -> throw new RegistryException.InvalidInput("unknown actor kind in event");
        };
    ListId list = r.cached(r.u16(), 0, LISTS, (tag, text) -> ListId.parse(text));
    Actor actor = r.cached(r.u16(), kind.ordinal(), ACTORS, BinaryEventCodec::actor);
    RegistryEvent event =
        switch (type) {
          case 1 -> {
            int bits = r.i32();
            long size = r.i64();
            Duration ttl = Duration.ofSeconds(r.i64());
            Duration validity = Duration.ofSeconds(r.i64());
            Purpose purpose =
                switch (r.u8()) {
                  case 1 -> Purpose.REVOCATION;
                  case 2 -> Purpose.SUSPENSION;
                  case 3 -> Purpose.MESSAGE;
                  default -> throw new RegistryException.InvalidInput("unknown purpose in event");
                };
            IndexPermutation.Key key = new IndexPermutation.Key(r.i64(), r.i64());
            ListKind listKind =
                version < 2
                    ? ListKind.STATUS_LIST
                    : switch (r.u8()) {
                      case 1 -> ListKind.STATUS_LIST;
                      case 2 -> ListKind.IDENTIFIER_LIST;
                      default ->
                          throw new RegistryException.InvalidInput("unknown list kind in event");
                    };
            yield new ListCreated(
                id, list, bits, size, ttl, validity, purpose, key, actor, at, listKind);
          }
          case 2 -> new IndexesAllocated(id, list, r.i64(), r.i32(), actor, at);
          case 3 -> {
            Status previous = Status.fromCode(r.u8());
            Status status = Status.fromCode(r.u8());
            Reason reason = r.cached(r.u8(), 0, REASONS, (tag, text) -> reason(text));
            yield new StatusChanged(id, list, r.i64(), previous, status, reason, actor, at);
          }
          case 4 -> new ListFull(id, list, r.i64(), actor, at);
          case 5 -> new ListRetired(id, list, actor, at);
          case 6 -> {
            if (version < 2) {
              throw new RegistryException.InvalidInput("identifier_revoked needs event version 2");
            }
            long slot = r.i64();
            byte[] identifier = r.bytes(IdentifierCipher.IDENTIFIER_BYTES);
            yield new IdentifierRevoked(
                id,
                list,
                slot,
                identifier,
                r.cached(r.u8(), 0, REASONS, (tag, text) -> reason(text)),
                actor,
                at);
          }
          default -> throw new RegistryException.InvalidInput("unknown event type code " + type);
        };
    r.end();
    return event;
  }

  private static Actor actor(int kind, String subject) {
    return new Actor(ACTOR_KINDS[kind], subject);
  }

  private static Reason reason(String code) {
    Reason reason = REASON_CODES.get(code);
    return reason != null ? reason : Reason.parse(code);
  }

  /**
   * Parsed values keyed by the bytes they were parsed from (and a small tag), direct-mapped: a slot
   * holds the last value put there, so the cache never grows. Lock-free: an entry is immutable and
   * published whole, so a reader sees a complete entry or an older one or none, and a miss only
   * costs a parse.
   */
  static final class ByteKeyCache<T> {
    /** Makes the value of a text not in the cache (and validates it). */
    @FunctionalInterface
    interface Parse<T> {
      T parse(int tag, String text);
    }

    private record Entry<T>(byte[] key, int tag, T value) {}

    private final Entry<?>[] slots;

    ByteKeyCache(int slots) {
      this.slots = new Entry<?>[Integer.highestOneBit(slots)];
    }

    /** A hash of the bytes, eight at a time, and the tag, finished as MurmurHash3's fmix64. */
    private int slot(byte[] b, int from, int length, int tag) {
      long h = tag * 0x9E3779B97F4A7C15L + length;
      int i = from;
      for (int end = from + length - 8; i <= end; i += 8) {
        h = (h ^ (long) LONG.get(b, i)) * 0x9E3779B97F4A7C15L;
      }
      for (; i < from + length; i++) {
        h = (h ^ b[i]) * 0x100000001B3L;
      }
      h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
      h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
      return (int) (h ^ (h >>> 33)) & (slots.length - 1);
    }

    @SuppressWarnings("unchecked")
    T get(byte[] b, int from, int length, int tag) {
      Entry<?> e = slots[slot(b, from, length, tag)];
      if (e != null
          && e.tag == tag
          && Arrays.equals(e.key, 0, e.key.length, b, from, from + length)) {
        return (T) e.value;
      }
      return null;
    }

    void put(byte[] b, int from, int length, int tag, T value) {
      slots[slot(b, from, length, tag)] =
          new Entry<>(Arrays.copyOfRange(b, from, from + length), tag, value);
    }
  }

  /** Reads fixed-width fields, refusing to run past the end. */
  private static final class Reader {
    private final byte[] b;
    private int at;

    Reader(byte[] b) {
      this.b = b;
    }

    private int need(int n) {
      if (b.length - at < n) {
        throw new RegistryException.InvalidInput("binary event is truncated");
      }
      int from = at;
      at += n;
      return from;
    }

    int u8() {
      return b[need(1)] & 0xFF;
    }

    int u16() {
      int from = need(2);
      return ((b[from] & 0xFF) << 8) | (b[from + 1] & 0xFF);
    }

    int i32() {
      return (int) INT.get(b, need(4));
    }

    long i64() {
      return (long) LONG.get(b, need(8));
    }

    byte[] bytes(int length) {
      int from = need(length);
      return Arrays.copyOfRange(b, from, from + length);
    }

    /**
     * The value parsed from the next {@code length} bytes (as text) by {@code parse}, from {@code
     * cache} when the same bytes were parsed before under the same {@code tag}.
     */
    <T> T cached(int length, int tag, ByteKeyCache<T> cache, ByteKeyCache.Parse<T> parse) {
      int from = need(length);
      T hit = cache.get(b, from, length, tag);
      if (hit != null) {
        return hit;
      }
      at = from;
      T value = parse.parse(tag, text(length));
      cache.put(b, from, length, tag, value);
      return value;
    }

    String text(int length) {
      int from = need(length);
      for (int i = from; i < from + length; i++) {
        if (b[i] < 0) {
          return utf8(from, length);
        }
      }
      return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }

    private String utf8(int from, int length) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b, from, length))
            .toString();
      } catch (CharacterCodingException e) {
        throw new RegistryException.InvalidInput("binary event holds malformed UTF-8");
      }
    }

    void end() {
      if (at != b.length) {
        throw new RegistryException.InvalidInput(
            "binary event has " + (b.length - at) + " bytes after its fields");
      }
    }
  }
}
