package io.statusreg.api.auth;

import io.statusreg.api.http.Route;
import io.statusreg.registry.Actor;
import io.statusreg.streams.AuditLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit lines for what never reaches a list's owner: write attempts refused by authorisation. (The
 * owner writes the audit record of every decided change; see the registry node.) One line on the
 * {@code statusreg.audit} logger per refused request, one JSON object ({@link AuditLine}: no field
 * can end the line or forge another), with no token contents:
 *
 * <pre>
 * {"actor":"issuer:client-7","issuer":"acme","method":"PUT","route":"/issuers/{issuer}/lists/{list}/entries/{idx}","outcome":"forbidden"}
 * {"actor":null,"issuer":"acme","method":"POST","route":"/issuers/{issuer}/lists/{list}/entries","outcome":"unauthorised"}
 * </pre>
 *
 * {@code actor} is null when the request carried no valid token; {@code issuer} is the path's
 * issuer as received (escaped by the JSON writer, cut at 200 characters); method and route come
 * from closed sets.
 */
public final class RefusalAudit {
  private static final Logger audit = LoggerFactory.getLogger("statusreg.audit");

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
        AuditLine.start()
            .field("actor", actor == null ? null : actor.kind().code() + ":" + actor.subject())
            .field("issuer", pathIssuer)
            .field("method", Route.methodLabel(method))
            .field("route", Route.label(route))
            .field("outcome", outcome.code())
            .line());
  }
}
