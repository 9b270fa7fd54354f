package io.statusreg.api.verifier;

import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The historical query of a status list GET: IETF Token Status List's {@code ?time=<unix seconds>}
 * or W3C Bitstring Status List's {@code ?timestamp=<dateTimeStamp>} (an XML Schema {@code
 * dateTimeStamp}: an RFC 3339 date-time whose time zone is mandatory, e.g. {@code
 * 2026-12-01T10:00:00Z}). Both answer the list as it was then; at most one may be given.
 */
final class HistoryQuery {
  private static final int MAX_TIMESTAMP_CHARS = 40;

  private HistoryQuery() {}

  /** The instant asked for, empty for the current list; malformed input is a 400 problem. */
  static Optional<Instant> of(String time, String timestamp) {
    if (time != null && timestamp != null) {
      throw new ApiProblem(
          ProblemKind.MALFORMED_REQUEST, "give either time or timestamp, not both");
    }
    if (time != null) {
      return Optional.of(unixSeconds(time));
    }
    if (timestamp != null) {
      return Optional.of(dateTimeStamp(timestamp));
    }
    return Optional.empty();
  }

  static Instant unixSeconds(String raw) {
    if (raw.isEmpty() || raw.length() > 12 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ApiProblem(
          ProblemKind.MALFORMED_REQUEST, "time must be a non-negative number of unix seconds");
    }
    return Instant.ofEpochSecond(Long.parseLong(raw));
  }

  static Instant dateTimeStamp(String raw) {
    // ASCII only, bounded: the formatter never sees more than a date-time's worth of input.
    if (raw.isEmpty()
        || raw.length() > MAX_TIMESTAMP_CHARS
        || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw badTimestamp();
    }
    try {
      Instant at = OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      if (at.getEpochSecond() < 0) {
        throw badTimestamp();
      }
      return at;
    } catch (DateTimeParseException e) {
      throw badTimestamp();
    }
  }

  private static ApiProblem badTimestamp() {
    return new ApiProblem(
        ProblemKind.MALFORMED_REQUEST,
        "timestamp must be a dateTimeStamp with a time zone, e.g. 2026-12-01T10:00:00Z");
  }
}
