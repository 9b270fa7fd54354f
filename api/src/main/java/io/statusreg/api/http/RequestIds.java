package io.statusreg.api.http;

import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.Handler;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * A request's id, for following one request through the logs: the caller's {@code X-Request-Id}
 * when it is short and plain (1-64 of {@code A-Z a-z 0-9 . _ : -}, as proxies and meshes send it),
 * else a new random one; answered in {@code X-Request-Id} and, while the route's handler and the
 * exception handler run, in the logging MDC as {@code request_id} (the JSON log format writes it in
 * every line's {@code mdc}). A value outside that set is never logged nor echoed.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request_id";
  private static final String ATTRIBUTE = "statusreg.request-id";
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** {@code handler} with the request's id in the MDC and the response. */
  public static Handler around(Handler handler) {
    return ctx -> {
      MDC.put(MDC_KEY, begin(ctx));
      try {
        handler.handle(ctx);
      } finally {
        MDC.remove(MDC_KEY);
      }
    };
  }

  /** {@code handler} with the id of the request whose handler threw in the MDC. */
  public static <E extends Exception> ExceptionHandler<E> around(ExceptionHandler<E> handler) {
    return (e, ctx) -> {
      String id = ctx.attribute(ATTRIBUTE);
      if (id != null) {
        MDC.put(MDC_KEY, id);
      }
      try {
        handler.handle(e, ctx);
      } finally {
        MDC.remove(MDC_KEY);
      }
    };
  }

  /** The request's id, chosen once per request. */
  static String begin(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    if (id == null) {
      String given = ctx.header(HEADER);
      id = given != null && PLAIN.matcher(given).matches() ? given : fresh();
      ctx.attribute(ATTRIBUTE, id);
      ctx.header(HEADER, id);
    }
    return id;
  }

  private static String fresh() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
