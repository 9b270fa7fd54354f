package io.statusreg.api.problems;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler, for the refusals that never reach Javalin: requests the parser rejects (a
 * {@code %00} in the path, a 10k-character URI: 414, 100 KB of headers: 431, a bad Content-Length,
 * {@code HTTP/9.9}) and failures of the outer handlers. Every such error leaves as the same RFC
 * 9457 document {@link Problems} writes, with no detail: Jetty's message may name internals.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  public static final HttpField CONTENT_TYPE =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
      status = http.getCode();
    } else if (request.getAttribute(ERROR_STATUS) instanceof Integer code) {
      status = code;
    }
    ProblemKind kind = kindOf(status);
    response.setStatus(kind.status());
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(CONTENT_TYPE);
    headers.put(SecurityHeaders.NOSNIFF);
    headers.put(SecurityHeaders.NO_STORE);
    response.write(true, ByteBuffer.wrap(Problems.body(kind, null)), callback);
    return true;
  }

  /** The body of a response to a request Jetty could not parse (no request object exists). */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    ProblemKind kind = kindOf(status);
    fields.put(CONTENT_TYPE);
    fields.put(SecurityHeaders.NOSNIFF);
    fields.put(SecurityHeaders.NO_STORE);
    return ByteBuffer.wrap(Problems.body(kind, null));
  }

  /** The problem kind of a status; the kind's own status is the one sent (they always agree). */
  static ProblemKind kindOf(int status) {
    if (status < 400 || status > 599) {
      return ProblemKind.INTERNAL;
    }
    return Problems.fromStatus(status);
  }
}
