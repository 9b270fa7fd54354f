package io.statusreg.registry;

import java.util.Locale;

/**
 * Status values of the IETF Token Status List with their wire codes. 0x03 and 0x0C-0x0F are
 * application specific; 0x04-0x0B are reserved and refused. A value needs a list whose {@code bits}
 * can hold it.
 */
public enum Status {
  VALID(0x00),
  INVALID(0x01),
  SUSPENDED(0x02),
  APPLICATION_3(0x03),
  APPLICATION_12(0x0C),
  APPLICATION_13(0x0D),
  APPLICATION_14(0x0E),
  APPLICATION_15(0x0F);

  private static final Status[] BY_CODE = new Status[16];

  static {
    for (Status s : values()) {
      BY_CODE[s.code] = s;
    }
  }

  private final int code;

  Status(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The smallest {@code bits} (1, 2, 4 or 8) that can hold this value. */
  public int minBits() {
    return code <= 1 ? 1 : code <= 3 ? 2 : 4;
  }

  public boolean fitsIn(int bits) {
    return minBits() <= bits;
  }

  /** Revocation is terminal: nothing moves an INVALID entry to another status. */
  public boolean isTerminal() {
    return this == INVALID;
  }

  public static Status fromCode(int code) {
    Status s = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    if (s == null) {
      throw new RegistryException.InvalidInput(
          "status code "
              + code
              + " is not a defined or application-specific value (0, 1, 2, 3, 12-15)");
    }
    return s;
  }

  /** Parses "VALID", "INVALID", "SUSPENDED" (any case) or a decimal code. */
  public static Status parse(String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > 16) {
      throw new RegistryException.InvalidInput(
          "status must be VALID, INVALID, SUSPENDED or a code");
    }
    if (raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      long code = Long.parseLong(raw); // at most 16 ASCII digits: always fits
      if (code > 0xFF) {
        throw new RegistryException.InvalidInput(
            "status code " + Ids.quote(raw) + " is not a defined or application-specific value");
      }
      return fromCode((int) code);
    }
    return switch (raw.toUpperCase(Locale.ROOT)) {
      case "VALID" -> VALID;
      case "INVALID", "REVOKED" -> INVALID;
      case "SUSPENDED" -> SUSPENDED;
      default ->
          throw new RegistryException.InvalidInput(
              "status must be VALID, INVALID, SUSPENDED or a code, got " + Ids.quote(raw));
    };
  }
}
