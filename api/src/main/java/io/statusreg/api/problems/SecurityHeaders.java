package io.statusreg.api.problems;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * Headers every response carries: {@code X-Content-Type-Options: nosniff} on all of them, and
 * {@code Cache-Control: no-store} on issuer routes and errors Jetty writes itself.
 */
public final class SecurityHeaders {
  public static final HttpField NOSNIFF =
      new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
  public static final HttpField NO_STORE =
      new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");

  private SecurityHeaders() {}
}
