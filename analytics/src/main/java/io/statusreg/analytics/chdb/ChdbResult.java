package io.statusreg.analytics.chdb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The outcome of one statement: the output bytes in the requested format and the engine's counters.
 *
 * @param data output in the requested format (empty for DDL and INSERT)
 * @param resultRows rows in the result set
 * @param resultBytes bytes of the result set in the engine's internal representation
 * @param readRows rows read from storage
 * @param readBytes bytes read from storage
 * @param writtenRows rows written (INSERT, including materialised views)
 * @param writtenBytes bytes written
 * @param elapsed time the engine spent on the statement
 */
public record ChdbResult(
    byte[] data,
    long resultRows,
    long resultBytes,
    long readRows,
    long readBytes,
    long writtenRows,
    long writtenBytes,
    Duration elapsed) {

  public ChdbResult {
    data = data == null ? new byte[0] : data;
    elapsed = elapsed == null ? Duration.ZERO : elapsed;
  }

  /** The output decoded as UTF-8 (for text formats such as TSV, CSV, JSON). */
  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }
}
