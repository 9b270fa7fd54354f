package io.statusreg.analytics.chdb.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads just enough of a ClickHouse statement to serve it over HTTP: its first keyword, and for
 * {@code INSERT ... FORMAT <name>} where the inline data begins, or for other statements the {@code
 * FORMAT} clause that decides the output format.
 *
 * <p>Works on bytes, since inline data after {@code FORMAT} may be binary. Skips string literals,
 * quoted identifiers and comments, so a {@code FORMAT} inside them does not count.
 */
public final class SqlHead {

  /** What the head of a request says. */
  public record Parsed(
      String firstKeyword,
      Optional<String> formatName,
      int formatClauseStart,
      int dataStart,
      boolean complete) {

    /** An {@code INSERT} that names an input format: data follows at {@link #dataStart()}. */
    public boolean isInsertWithFormat() {
      return "INSERT".equals(firstKeyword) && formatName.isPresent();
    }
  }

  private final byte[] text;
  private final int length;
  private int pos;

  private SqlHead(byte[] text, int length) {
    this.text = text;
    this.length = length;
  }

  /**
   * Scans {@code text[0, length)}. {@code complete} is false when an INSERT's FORMAT name may have
   * been cut off by the end of the buffer (the caller then reads more).
   */
  public static Parsed parse(byte[] text, int length) {
    return new SqlHead(text, length).scan();
  }

  public static Parsed parse(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return parse(bytes, bytes.length);
  }

  private Parsed scan() {
    String first = null;
    String format = null;
    int formatStart = -1;
    int dataStart = -1;
    boolean insert = false;
    int depth = 0;
    while (true) {
      skipSpaceAndComments();
      if (pos >= length) {
        break;
      }
      byte b = text[pos];
      if (isWordStart(b)) {
        int start = pos;
        while (pos < length && isWordPart(text[pos])) {
          pos++;
        }
        String word = new String(text, start, pos - start, StandardCharsets.UTF_8);
        String upper = word.toUpperCase(Locale.ROOT);
        if (first == null) {
          first = upper;
          insert = first.equals("INSERT");
        }
        if (insert && depth == 0 && (upper.equals("VALUES") || upper.equals("SELECT"))) {
          // inline VALUES data or INSERT ... SELECT: no FORMAT data split here
          return new Parsed(first, Optional.empty(), -1, -1, true);
        }
        if (upper.equals("FORMAT") && depth == 0) {
          int clauseStart = start;
          skipSpaceAndComments();
          int nameStart = pos;
          while (pos < length && isWordPart(text[pos])) {
            pos++;
          }
          if (pos == nameStart) {
            continue; // "format" used as a name, e.g. a column
          }
          if (insert && pos >= length) {
            return new Parsed(first, Optional.empty(), -1, -1, false);
          }
          String name = new String(text, nameStart, pos - nameStart, StandardCharsets.UTF_8);
          if (insert) {
            return new Parsed(first, Optional.of(name), clauseStart, dataStartAfter(pos), true);
          }
          if (endsClause()) {
            format = name;
            formatStart = clauseStart;
          }
        }
        continue;
      }
      switch (b) {
        case '\'', '"', '`' -> skipQuoted(b);
        case '(', '[' -> {
          depth++;
          pos++;
        }
        case ')', ']' -> {
          depth = Math.max(0, depth - 1);
          pos++;
        }
        default -> pos++;
      }
    }
    return new Parsed(
        first == null ? "" : first, Optional.ofNullable(format), formatStart, dataStart, true);
  }

  /** Whether what follows a FORMAT name can end a statement: nothing, ';', or SETTINGS. */
  private boolean endsClause() {
    int saved = pos;
    skipSpaceAndComments();
    boolean ends =
        pos >= length
            || text[pos] == ';'
            || (pos + 8 <= length
                && new String(text, pos, 8, StandardCharsets.US_ASCII)
                    .equalsIgnoreCase("SETTINGS"));
    pos = saved;
    return ends;
  }

  /** ClickHouse: skip blanks after the format name, then one optional CR and one LF. */
  private int dataStartAfter(int p) {
    while (p < length && (text[p] == ' ' || text[p] == '\t' || text[p] == '\f')) {
      p++;
    }
    if (p < length && text[p] == '\r') {
      p++;
    }
    if (p < length && text[p] == '\n') {
      p++;
    }
    return p;
  }

  private void skipSpaceAndComments() {
    while (pos < length) {
      byte b = text[pos];
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f') {
        pos++;
      } else if (b == '-' && pos + 1 < length && text[pos + 1] == '-') {
        skipLine();
      } else if (b == '#' && pos + 1 < length && (text[pos + 1] == ' ' || text[pos + 1] == '!')) {
        skipLine();
      } else if (b == '/' && pos + 1 < length && text[pos + 1] == '*') {
        pos += 2;
        while (pos + 1 < length && !(text[pos] == '*' && text[pos + 1] == '/')) {
          pos++;
        }
        pos = Math.min(length, pos + 2);
      } else {
        return;
      }
    }
  }

  private void skipLine() {
    while (pos < length && text[pos] != '\n') {
      pos++;
    }
  }

  private void skipQuoted(byte quote) {
    pos++;
    while (pos < length) {
      byte b = text[pos];
      if (b == '\\') {
        pos += 2;
      } else if (b == quote) {
        if (pos + 1 < length && text[pos + 1] == quote) {
          pos += 2; // doubled quote
        } else {
          pos++;
          return;
        }
      } else {
        pos++;
      }
    }
  }

  private static boolean isWordStart(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
  }

  private static boolean isWordPart(byte b) {
    return isWordStart(b) || (b >= '0' && b <= '9');
  }

  /** The statement text before the FORMAT clause, trimmed. */
  public static String before(byte[] text, int end) {
    return new String(text, 0, end, StandardCharsets.UTF_8).strip();
  }
}
