package io.statusreg.api.auth;

import io.statusreg.registry.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit lines for what never reaches a list's owner: write attempts refused by authorisation. (The
 * owner writes the audit record of every decided change; see the registry node.) One line on the
 * {@code statusreg.audit} logger per refused request, with no token contents:
 *
 * <pre>
 * actor=issuer:client-7 issuer=acme method=PUT route=/issuers/{issuer}/lists/{list}/entries/{idx} outcome=forbidden
 * actor=- issuer=acme method=POST route=/issuers/{issuer}/lists/{list}/entries outcome=unauthorised
 * </pre>
 *
 * {@code actor=-} when the request carried no valid token; {@code issuer} is the path's issuer,
 * printed as received except for characters outside printable ASCII (shown as {@code ?}).
 */
public final class RefusalAudit {
  private static final Logger audit = LoggerFactory.getLogger("statusreg.audit");
  private static final int MAX_ISSUER = 80;

  /** Why a write attempt was refused. */
  public enum Outcome {
    /** No valid bearer token (HTTP 401). */
    UNAUTHORISED,
    /** A valid token that does not permit the request (HTTP 403). */
    FORBIDDEN;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private RefusalAudit() {}

  public static void refused(
      Actor actor, String pathIssuer, String method, String route, Outcome outcome) {
    audit.info(
        "actor={} issuer={} method={} route={} outcome={}",
        actor == null ? "-" : actor.kind().code() + ":" + printable(actor.subject()),
        printable(pathIssuer),
        method,
        route,
        outcome.code());
  }

  private static String printable(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "-";
    }
    int limit = Math.min(raw.length(), MAX_ISSUER);
    StringBuilder out = new StringBuilder(limit + 3);
    for (int i = 0; i < limit; i++) {
      char c = raw.charAt(i);
      out.append(c > 0x20 && c < 0x7f ? c : '?');
    }
    return raw.length() > limit ? out.append("...").toString() : out.toString();
  }
}
