package io.statusreg.analytics.chdb;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error reported by the chDB engine, or by the binding while talking to it.
 *
 * <p>{@link #code()} is the ClickHouse error code parsed from the engine's message ({@code Code:
 * 62. DB::Exception: ...}), or {@link #UNKNOWN_CODE} when the message carries none. {@link
 * #engineMessage()} is the engine's text as it came.
 */
public final class ChdbException extends RuntimeException {

  /** ClickHouse's code for an error it cannot classify ({@code UNKNOWN_EXCEPTION}). */
  public static final int UNKNOWN_CODE = 1002;

  private static final Pattern CODE = Pattern.compile("Code: (\\d+)\\.");

  private final int code;
  private final String engineMessage;

  public ChdbException(int code, String engineMessage) {
    super(engineMessage);
    this.code = code;
    this.engineMessage = engineMessage;
  }

  public ChdbException(String doing, Throwable cause) {
    super(doing + ": " + cause.getMessage(), cause);
    this.code = UNKNOWN_CODE;
    this.engineMessage = String.valueOf(cause.getMessage());
  }

  /** Builds the exception from the engine's error text, parsing the code from it. */
  public static ChdbException fromEngine(String engineMessage) {
    String message = engineMessage == null ? "" : engineMessage.strip();
    return new ChdbException(parseCode(message), message);
  }

  /** The ClickHouse error code in {@code message}, or {@link #UNKNOWN_CODE}. */
  public static int parseCode(String message) {
    if (message == null) {
      return UNKNOWN_CODE;
    }
    Matcher m = CODE.matcher(message);
    if (m.find()) {
      try {
        return Integer.parseInt(m.group(1));
      } catch (NumberFormatException e) {
        return UNKNOWN_CODE;
      }
    }
    return UNKNOWN_CODE;
  }

  /** The ClickHouse error code, e.g. 62 for a syntax error or 60 for an unknown table. */
  public int code() {
    return code;
  }

  /** The engine's message, unchanged (already of the form {@code Code: N. DB::Exception: ...}). */
  public String engineMessage() {
    return engineMessage;
  }
}
