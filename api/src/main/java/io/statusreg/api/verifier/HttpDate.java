package io.statusreg.api.verifier;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * RFC 9110 §5.6.7 IMF-fixdate ({@code Tue, 01 Dec 2026 19:57:52 GMT}): a two-digit day, English
 * names, GMT. The JDK's RFC_1123_DATE_TIME writes days 1-9 with one digit, which is not an
 * IMF-fixdate.
 */
final class HttpDate {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private HttpDate() {}

  static String format(Instant t) {
    return IMF_FIXDATE.format(t);
  }
}
