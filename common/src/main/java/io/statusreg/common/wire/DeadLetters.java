package io.statusreg.common.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter convention of {@code statusreg.dlq}: a record that cannot be read is written
 * there with its original key, value and headers, plus headers naming where it came from and why it
 * was refused. Every component that dead-letters (the topology, the analytics sink) uses these
 * headers, so one tool can read them all.
 */
public final class DeadLetters {
  /** Header: the source topic. */
  public static final String TOPIC = "topic";

  /** Header: the source partition, decimal. */
  public static final String PARTITION = "partition";

  /** Header: the source offset, decimal. */
  public static final String OFFSET = "offset";

  /** Header: the error, {@code SimpleName: message}, at most {@value #MAX_ERROR} characters. */
  public static final String ERROR = "error";

  static final int MAX_ERROR = 1000;

  private DeadLetters() {}

  /** The original headers followed by the coordinates and the error, all UTF-8. */
  public static Headers headers(
      Iterable<Header> original, String topic, int partition, long offset, Exception error) {
    RecordHeaders headers = new RecordHeaders();
    if (original != null) {
      for (Header h : original) {
        headers.add(h);
      }
    }
    headers.add(TOPIC, utf8(topic));
    headers.add(PARTITION, utf8(Integer.toString(partition)));
    headers.add(OFFSET, utf8(Long.toString(offset)));
    headers.add(ERROR, utf8(describe(error)));
    return headers;
  }

  /** {@code SimpleName: message}, cut to {@value #MAX_ERROR} characters. */
  public static String describe(Exception error) {
    String message = error.getClass().getSimpleName() + ": " + error.getMessage();
    return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
  }

  /** A header's value as text, or {@code null} when absent. */
  public static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
