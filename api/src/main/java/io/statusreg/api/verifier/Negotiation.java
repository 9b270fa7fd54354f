package io.statusreg.api.verifier;

import java.util.Locale;

/**
 * Proactive content negotiation (RFC 9110 section 12) for status list tokens: {@code Accept} with
 * q-values and wildcards, {@code Accept-Encoding} for gzip. The common headers (none, {@code *}/*,
 * one exact type, plain {@code gzip}) are recognised without parsing or allocating.
 */
final class Negotiation {
  private static final Representation[] ALL = Representation.values();

  private Negotiation() {}

  /**
   * The best representation among {@code available} (indexed by ordinal, null when absent) for the
   * {@code Accept} header, or null when none is acceptable.
   */
  static Representation select(String accept, Object[] available) {
    if (accept == null || accept.isEmpty() || accept.equals("*/*")) {
      return first(available);
    }
    for (Representation r : ALL) {
      if (accept.equals(r.mediaType())) {
        return available[r.ordinal()] != null ? r : null;
      }
    }
    double[] q = new double[ALL.length];
    int[] specificity = new int[ALL.length];
    java.util.Arrays.fill(specificity, -1);
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        continue;
      }
      double weight = 1.0;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
          weight = qValue(p.substring(2).trim());
        }
      }
      for (Representation r : ALL) {
        int s = matches(type, r.mediaType());
        if (s > specificity[r.ordinal()]) {
          specificity[r.ordinal()] = s;
          q[r.ordinal()] = weight;
        }
      }
    }
    Representation best = null;
    double bestQ = 0;
    for (Representation r : ALL) {
      if (available[r.ordinal()] != null
          && specificity[r.ordinal()] >= 0
          && q[r.ordinal()] > bestQ) {
        best = r;
        bestQ = q[r.ordinal()];
      }
    }
    return best;
  }

  private static Representation first(Object[] available) {
    for (Representation r : ALL) {
      if (available[r.ordinal()] != null) {
        return r;
      }
    }
    return null;
  }

  /** 2 for an exact match, 1 for {@code type/*}, 0 for {@code *}/*, -1 for no match. */
  private static int matches(String range, String mediaType) {
    if (range.equals(mediaType)) {
      return 2;
    }
    if (range.equals("*/*")) {
      return 0;
    }
    if (range.endsWith("/*")) {
      return mediaType.startsWith(range.substring(0, range.length() - 1)) ? 1 : -1;
    }
    return -1;
  }

  /** RFC 9110 qvalue; anything malformed counts as 0 (not acceptable). */
  private static double qValue(String raw) {
    try {
      double q = Double.parseDouble(raw);
      return q >= 0 && q <= 1 && raw.length() <= 5 ? q : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Whether {@code Accept-Encoding} allows gzip. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null || acceptEncoding.isEmpty()) {
      return false;
    }
    if (acceptEncoding.indexOf(';') < 0) {
      return acceptEncoding.contains("gzip") || acceptEncoding.contains("*");
    }
    double gzip = -1;
    double star = -1;
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.split(";");
      String name = parts[0].trim().toLowerCase(Locale.ROOT);
      double weight = 1.0;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim();
        if (p.length() > 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
          weight = qValue(p.substring(2).trim());
        }
      }
      if (name.equals("gzip") || name.equals("x-gzip")) {
        gzip = Math.max(gzip, weight);
      } else if (name.equals("*")) {
        star = weight;
      }
    }
    return gzip >= 0 ? gzip > 0 : star > 0;
  }

  /** Whether an {@code If-None-Match} header matches one of the tags (weak comparison). */
  static boolean noneMatch(String ifNoneMatch, String tag, String otherTag) {
    if (ifNoneMatch == null) {
      return false;
    }
    if (ifNoneMatch.equals(tag) || ifNoneMatch.equals(otherTag)) {
      return true;
    }
    if (ifNoneMatch.trim().equals("*")) {
      return true;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2);
      }
      if (c.equals(tag) || c.equals(otherTag)) {
        return true;
      }
    }
    return false;
  }
}
