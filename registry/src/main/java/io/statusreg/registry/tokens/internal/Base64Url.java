package io.statusreg.registry.tokens.internal;

import java.util.Base64;

/** Strict base64url without padding, as JWS and the IETF {@code lst} require. */
public final class Base64Url {
  private Base64Url() {}

  /** Thrown with a message that can be shown to the sender of the text. */
  public static final class Invalid extends Exception {
    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Decodes {@code text}, accepting only {@code [A-Za-z0-9_-]}, a length that is not 1 mod 4 and
   * zero bits in the unused low bits of the last character, so every byte string has exactly one
   * accepted text.
   */
  public static byte[] decode(String text) throws Invalid {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (sextet(c) < 0) {
        throw new Invalid(
            "not base64url without padding: character "
                + (c >= 0x20 && c < 0x7f ? "'" + c + "'" : "U+" + Integer.toHexString(c))
                + " at offset "
                + i);
      }
    }
    if (n % 4 == 1) {
      throw new Invalid("not base64url: length " + n + " is 1 modulo 4");
    }
    if (n % 4 != 0) {
      int unused = n % 4 == 2 ? 0x0F : 0x03;
      if ((sextet(text.charAt(n - 1)) & unused) != 0) {
        throw new Invalid("not canonical base64url: non-zero bits after the last byte");
      }
    }
    return Base64.getUrlDecoder().decode(text);
  }

  public static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : c == '_' ? 63 : -1;
  }
}
