package io.statusreg.registry.tokens;

import io.statusreg.registry.Status;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.lists.StatusList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a list appears as a W3C Bitstring Status List v1.0: decided by its {@link Purpose} and {@code
 * bits}, the one place that rule lives (the credential, the {@code BitstringStatusListEntry} of an
 * allocation answer and the tests all ask this record).
 *
 * <ul>
 *   <li>{@code revocation} with 1 bit: {@code statusPurpose: "revocation"}, the bits as stored (1 =
 *       INVALID, which is final).
 *   <li>{@code suspension}: {@code statusPurpose: "suspension"}, one bit per entry, set while the
 *       entry is SUSPENDED (0x02). The list stores IETF values (so it needs 2 bits, and its IETF
 *       token says SUSPENDED, not INVALID); SUSPENDED is reversible, so a W3C verifier sees the bit
 *       set and cleared again. Lists created before this rule with 1 bit publish their bits as
 *       stored.
 *   <li>anything else (a multi-bit {@code revocation} list, any {@code message} list): {@code
 *       statusPurpose: "message"} with {@code statusSize = bits} and one {@code statusMessage} per
 *       value (W3C §2.1 and §2.2), so a verifier reads the right bits and never takes a reversible
 *       value for an irreversible revocation.
 * </ul>
 *
 * @param statusPurpose the W3C {@code statusPurpose}
 * @param statusSize bits per entry of the W3C bitstring (1, 2, 4 or 8)
 * @param flagged when not negative, the W3C bitstring has one bit per entry, set where the stored
 *     value equals this one (suspension lists); negative: the bits as stored
 */
public record W3cForm(String statusPurpose, int statusSize, int flagged) {
  public static final String ENTRY_TYPE = "BitstringStatusListEntry";

  public W3cForm {
    if (!StatusList.isValidBits(statusSize)) {
      throw new IllegalArgumentException("statusSize must be 1, 2, 4 or 8, got " + statusSize);
    }
  }

  /** The W3C form of a list with this purpose and this many bits per entry. */
  public static W3cForm of(Purpose purpose, int bits) {
    if (!StatusList.isValidBits(bits)) {
      throw new IllegalArgumentException("bits must be 1, 2, 4 or 8, got " + bits);
    }
    if (purpose == Purpose.SUSPENSION) {
      return bits == 1
          ? new W3cForm("suspension", 1, -1)
          : new W3cForm("suspension", 1, Status.SUSPENDED.code());
    }
    if (purpose == Purpose.REVOCATION && bits == 1) {
      return new W3cForm("revocation", 1, -1);
    }
    return new W3cForm("message", bits, -1);
  }

  /** Whether the form carries {@code statusSize} and status messages ({@code message} lists). */
  public boolean isMessage() {
    return "message".equals(statusPurpose);
  }

  /** The {@code encodedList} of {@code list} in this form at GZIP level {@code level}. */
  public String encode(StatusList list, int level) {
    return flagged < 0
        ? BitstringStatusList.encode(list, level)
        : BitstringStatusList.encodeFlags(list, flagged, level);
  }

  /**
   * The bytes of the W3C bitstring of a {@code bits}-bit list in this form: {@code statusSize} bits
   * per entry, at least {@value BitstringStatusList#MIN_ENTRIES} entries.
   */
  public long bitstringBytes(long size) {
    return StatusList.byteLength(statusSize, Math.max(size, BitstringStatusList.MIN_ENTRIES));
  }

  /**
   * The part of the W3C bitstring that IETF page {@code ietfPage} (a full page of a {@code
   * bits}-bit list) becomes in this form: {@link StatusList#PAGE_BYTES} bytes, or {@code PAGE_BYTES
   * / bits} for a flagged form; page {@code n}'s part starts at {@code n} times that length. The
   * whole bitstring is the parts of every page in order, zero padded to {@link #bitstringBytes}.
   */
  public byte[] bitstringPage(byte[] ietfPage, int bits) {
    return flagged < 0
        ? BitstringStatusList.bitstringPage(ietfPage, bits)
        : BitstringStatusList.flagsPage(ietfPage, bits, flagged);
  }

  /**
   * Bytes of the W3C part of one IETF page of a {@code bits}-bit list (see {@link #bitstringPage}).
   */
  public int bytesPerPage(int bits) {
    return flagged < 0 ? StatusList.PAGE_BYTES : StatusList.PAGE_BYTES / bits;
  }

  /**
   * Whether a page's W3C part is the page itself (8-bit lists as stored): one segment serves both.
   */
  public boolean sharesPages(int bits) {
    return flagged < 0 && bits == 8;
  }

  /** The value a W3C verifier reads at {@code idx} of a list published in this form. */
  public int w3cValue(StatusList list, long idx) {
    int stored = list.get(idx);
    return flagged < 0 ? stored : stored == flagged ? 1 : 0;
  }

  /**
   * The {@code BitstringStatusListEntry} (the {@code credentialStatus} of an issued credential)
   * that points at {@code idx} of the list published at {@code listUri}, as a JSON-ready map.
   */
  public Map<String, Object> entry(String listUri, long idx) {
    if (idx < 0) {
      throw new IllegalArgumentException("index must not be negative, got " + idx);
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", listUri + "#" + idx);
    entry.put("type", ENTRY_TYPE);
    entry.put("statusPurpose", statusPurpose);
    entry.put("statusListIndex", Long.toString(idx));
    entry.put("statusListCredential", listUri);
    if (isMessage()) {
      entry.put("statusSize", statusSize);
      entry.put("statusMessage", statusMessages());
    }
    return Collections.unmodifiableMap(entry);
  }

  /**
   * One {@code {"status": "0x..", "message": ".."}} per value of a {@code statusSize}-bit entry
   * ({@code 2^statusSize}, as W3C requires), named after the IETF values: {@code 0x0} valid, {@code
   * 0x1} invalid, {@code 0x2} suspended, {@code 0x3} and {@code 0xc}-{@code 0xf}
   * application-specific, any other value reserved.
   */
  public List<Map<String, String>> statusMessages() {
    return statusMessages(statusSize);
  }

  /** {@link #statusMessages()} of a {@code bits}-bit entry (1, 2, 4 or 8). */
  public static List<Map<String, String>> statusMessages(int bits) {
    if (!StatusList.isValidBits(bits)) {
      throw new IllegalArgumentException("bits must be 1, 2, 4 or 8, got " + bits);
    }
    return STATUS_MESSAGES.get(bits);
  }

  /**
   * Made once per size: an allocation answer carries them in every entry it returns, up to 256
   * messages each.
   */
  private static final Map<Integer, List<Map<String, String>>> STATUS_MESSAGES =
      Map.of(1, messages(1), 2, messages(2), 4, messages(4), 8, messages(8));

  private static List<Map<String, String>> messages(int bits) {
    List<Map<String, String>> out = new ArrayList<>(1 << bits);
    for (int v = 0; v < 1 << bits; v++) {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("status", "0x" + Integer.toHexString(v).toLowerCase(Locale.ROOT));
      m.put("message", message(v));
      out.add(Collections.unmodifiableMap(m));
    }
    return List.copyOf(out);
  }

  private static String message(int value) {
    if (value == Status.VALID.code()) {
      return "valid";
    }
    if (value == Status.INVALID.code()) {
      return "invalid";
    }
    if (value == Status.SUSPENDED.code()) {
      return "suspended";
    }
    if (value == 0x03 || (value >= 0x0c && value <= 0x0f)) {
      return "application-specific";
    }
    return "reserved";
  }
}
