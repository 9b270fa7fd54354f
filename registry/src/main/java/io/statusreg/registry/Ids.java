package io.statusreg.registry;

/** Helpers for id validation messages: quote untrusted input, cut to a safe length. */
final class Ids {
  private Ids() {}

  static String quote(String raw) {
    if (raw == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("'");
    int limit = Math.min(raw.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = raw.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.append(raw.length() > limit ? "...'" : "'").toString();
  }
}
