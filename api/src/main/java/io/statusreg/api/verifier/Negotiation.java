package io.statusreg.api.verifier;

/**
 * Proactive content negotiation (RFC 9110 section 12) for status list tokens: {@code Accept} with
 * q-values and wildcards, {@code Accept-Encoding} for gzip, and {@code If-None-Match}. Every header
 * is read by one scan over its characters, without splitting it into strings: this runs for each
 * verifier fetch.
 */
final class Negotiation {
  private static final Representation[] ALL = Representation.values();

  static {
    // select() keeps 16 bits per representation in one long: at most four fit.
    if (ALL.length > Long.SIZE / 16) {
      throw new IllegalStateException(
          "Negotiation.select packs at most 4 representations, there are " + ALL.length);
    }
  }

  /** q=1 in thousandths; qvalues have at most three decimals. */
  private static final int Q_ONE = 1000;

  private Negotiation() {}

  /**
   * The best representation among {@code available} (indexed by ordinal, null when absent) for the
   * {@code Accept} header, or null when none is acceptable. For each representation the most
   * specific matching range gives its weight (the first one among equally specific ranges); the
   * highest non-zero weight wins, ties going to the server's order.
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
    // Per representation: weight and specificity packed as (specificity + 1) << 11 | q, 0 when no
    // range matched; kept in a long so that the three fit in locals without an array.
    long best = 0;
    int n = accept.length();
    int i = 0;
    while (i < n) {
      int end = elementEnd(accept, i);
      int typeEnd = paramStart(accept, i, end);
      int ts = skipSpace(accept, i, typeEnd);
      int te = trimEnd(accept, ts, typeEnd);
      if (te > ts) {
        int q = weight(accept, typeEnd, end);
        for (Representation r : ALL) {
          int s = matches(accept, ts, te, r.mediaType());
          int shift = r.ordinal() * 16;
          int current = (int) (best >>> shift) & 0xFFFF;
          if (s >= 0 && s + 1 > (current >>> 11)) {
            best = (best & ~(0xFFFFL << shift)) | ((long) (((s + 1) << 11) | q) << shift);
          }
        }
      }
      i = end + 1;
    }
    Representation chosen = null;
    int chosenQ = 0;
    for (Representation r : ALL) {
      int packed = (int) (best >>> (r.ordinal() * 16)) & 0xFFFF;
      int q = packed & 0x7FF;
      if (available[r.ordinal()] != null && packed != 0 && q > chosenQ) {
        chosen = r;
        chosenQ = q;
      }
    }
    return chosen;
  }

  private static Representation first(Object[] available) {
    for (Representation r : ALL) {
      if (available[r.ordinal()] != null) {
        return r;
      }
    }
    return null;
  }

  /**
   * How {@code header[from, to)} (a media range) matches {@code mediaType}: 2 exactly, 1 as {@code
   * type/*}, 0 as {@code *}/*, -1 not at all. Case-insensitive.
   */
  private static int matches(String header, int from, int to, String mediaType) {
    int len = to - from;
    if (len == mediaType.length() && header.regionMatches(true, from, mediaType, 0, len)) {
      return 2;
    }
    if (len == 3 && header.startsWith("*/*", from)) {
      return 0;
    }
    if (len >= 2
        && header.charAt(to - 1) == '*'
        && header.charAt(to - 2) == '/'
        && len - 1 <= mediaType.length()
        && header.regionMatches(true, from, mediaType, 0, len - 1)) {
      return 1;
    }
    return -1;
  }

  /** Whether {@code Accept-Encoding} allows gzip (or {@code x-gzip}, or {@code *} when unnamed). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null || acceptEncoding.isEmpty()) {
      return false;
    }
    int gzip = -1;
    int star = -1;
    int n = acceptEncoding.length();
    int i = 0;
    while (i < n) {
      int end = elementEnd(acceptEncoding, i);
      int nameEnd = paramStart(acceptEncoding, i, end);
      int ns = skipSpace(acceptEncoding, i, nameEnd);
      int ne = trimEnd(acceptEncoding, ns, nameEnd);
      int len = ne - ns;
      if ((len == 4 && acceptEncoding.regionMatches(true, ns, "gzip", 0, 4))
          || (len == 6 && acceptEncoding.regionMatches(true, ns, "x-gzip", 0, 6))) {
        gzip = Math.max(gzip, weight(acceptEncoding, nameEnd, end));
      } else if (len == 1 && acceptEncoding.charAt(ns) == '*') {
        star = weight(acceptEncoding, nameEnd, end);
      }
      i = end + 1;
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
    int n = ifNoneMatch.length();
    int s = skipSpace(ifNoneMatch, 0, n);
    int e = trimEnd(ifNoneMatch, s, n);
    if (e - s == 1 && ifNoneMatch.charAt(s) == '*') {
      return true;
    }
    int i = 0;
    while (i < n) {
      int end = ifNoneMatch.indexOf(',', i);
      if (end < 0) {
        end = n;
      }
      int cs = skipSpace(ifNoneMatch, i, end);
      int ce = trimEnd(ifNoneMatch, cs, end);
      if (ifNoneMatch.startsWith("W/", cs)) {
        cs += 2;
      }
      if (same(ifNoneMatch, cs, ce, tag) || same(ifNoneMatch, cs, ce, otherTag)) {
        return true;
      }
      i = end + 1;
    }
    return false;
  }

  private static boolean same(String header, int from, int to, String tag) {
    return tag != null
        && to - from == tag.length()
        && header.regionMatches(from, tag, 0, tag.length());
  }

  /** End of the list element starting at {@code from}: the next comma, or the header's end. */
  private static int elementEnd(String header, int from) {
    int comma = header.indexOf(',', from);
    return comma < 0 ? header.length() : comma;
  }

  /** Where the parameters of the element {@code [from, end)} start: its first ';', or end. */
  private static int paramStart(String header, int from, int end) {
    int semi = header.indexOf(';', from);
    return semi < 0 || semi > end ? end : semi;
  }

  /**
   * The weight of an element from its parameters {@code [from, end)} (each starting with ';'): the
   * last {@code q=} parameter, 1 when there is none; a malformed qvalue counts as 0.
   */
  private static int weight(String header, int from, int end) {
    int q = Q_ONE;
    int i = from;
    while (i < end) {
      int next = header.indexOf(';', i + 1);
      if (next < 0 || next > end) {
        next = end;
      }
      int ps = skipSpace(header, i + 1, next);
      int pe = trimEnd(header, ps, next);
      if (pe - ps > 2
          && (header.charAt(ps) == 'q' || header.charAt(ps) == 'Q')
          && header.charAt(ps + 1) == '=') {
        int vs = skipSpace(header, ps + 2, pe);
        q = qValue(header, vs, pe);
      }
      i = next;
    }
    return q;
  }

  /**
   * RFC 9110 qvalue in thousandths: {@code 0[.ddd]} or {@code 1[.000]}; anything else counts as 0
   * (not acceptable).
   */
  private static int qValue(String header, int from, int to) {
    int len = to - from;
    if (len < 1 || len > 5) {
      return 0;
    }
    char lead = header.charAt(from);
    if (lead != '0' && lead != '1') {
      return 0;
    }
    int value = (lead - '0') * Q_ONE;
    if (len == 1) {
      return value;
    }
    if (header.charAt(from + 1) != '.') {
      return 0;
    }
    int scale = 100;
    for (int i = from + 2; i < to; i++) {
      char c = header.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      value += (c - '0') * scale;
      scale /= 10;
    }
    return value > Q_ONE ? 0 : value;
  }

  private static int skipSpace(String s, int from, int to) {
    while (from < to && isSpace(s.charAt(from))) {
      from++;
    }
    return from;
  }

  private static int trimEnd(String s, int from, int to) {
    while (to > from && isSpace(s.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }
}
