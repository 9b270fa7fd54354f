package io.statusreg.streams.publication;

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
 * The W3C {@code BitstringStatusListEntry} (the {@code credentialStatus} of an issued credential)
 * that points at index {@code idx} of a list published by {@link RegistryListSigner}.
 *
 * <p>For {@code bits > 1} it carries {@code statusSize = bits} and {@code statusMessage} with one
 * message per value ({@code 2^bits}, as the W3C spec requires), named after the IETF status values:
 * {@code 0x0} valid, {@code 0x1} invalid, {@code 0x2} suspended, {@code 0x3} and {@code 0xc}-{@code
 * 0xf} application-specific, any other value reserved.
 */
public final class W3cStatusEntry {
  private W3cStatusEntry() {}

  /** The entry as a JSON-ready map (insertion-ordered). */
  public static Map<String, Object> of(String listUri, long idx, Purpose purpose, int bits) {
    if (!StatusList.isValidBits(bits)) {
      throw new IllegalArgumentException("bits must be 1, 2, 4 or 8, got " + bits);
    }
    if (idx < 0) {
      throw new IllegalArgumentException("index must not be negative, got " + idx);
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("id", listUri + "#" + idx);
    entry.put("type", "BitstringStatusListEntry");
    entry.put("statusPurpose", purpose.code());
    entry.put("statusListIndex", Long.toString(idx));
    entry.put("statusListCredential", listUri);
    if (bits > 1) {
      entry.put("statusSize", bits);
      entry.put("statusMessage", statusMessages(bits));
    }
    return Collections.unmodifiableMap(entry);
  }

  /** One {@code {"status": "0x..", "message": ".."}} per value of a {@code bits}-bit entry. */
  public static List<Map<String, String>> statusMessages(int bits) {
    List<Map<String, String>> out = new ArrayList<>(1 << bits);
    for (int v = 0; v < 1 << bits; v++) {
      out.add(
          Map.of(
              "status",
              "0x" + Integer.toHexString(v).toLowerCase(Locale.ROOT),
              "message",
              message(v)));
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
