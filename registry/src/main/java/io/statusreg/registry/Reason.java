package io.statusreg.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Why a status changed, with its wire code (lower snake case). The RFC 5280 CRLReason names that
 * revocation people know ({@code keyCompromise}, {@code removeFromCRL}, ...) are accepted as
 * aliases of the matching codes ({@link #rfc5280Aliases()}); what is stored and answered is always
 * the code. The CRLReasons without a matching code ({@code cACompromise}, {@code aACompromise}:
 * authority compromises; {@code certificateHold}: a status, {@code SUSPENDED}, not a reason) are
 * refused, saying why.
 */
public enum Reason {
  UNSPECIFIED,
  KEY_COMPROMISE,
  AFFILIATION_CHANGED,
  SUPERSEDED,
  CESSATION_OF_OPERATION,
  PRIVILEGE_WITHDRAWN,
  HOLDER_REQUEST,
  FRAUD,
  LEGAL_ORDER,
  ISSUER_ERROR,
  INVESTIGATION,
  REINSTATEMENT;

  private static final Map<String, Reason> RFC_5280_ALIASES = rfc5280();

  private static final Map<String, String> RFC_5280_REFUSED =
      Map.of(
          "cacompromise",
          "cACompromise is a CA's compromise, not a credential's",
          "aacompromise",
          "aACompromise is an attribute authority's compromise, not a credential's",
          "certificatehold",
          "certificateHold is a status here: set \"status\":\"SUSPENDED\"");

  private static Map<String, Reason> rfc5280() {
    Map<String, Reason> m = new LinkedHashMap<>();
    m.put("unspecified", UNSPECIFIED);
    m.put("keyCompromise", KEY_COMPROMISE);
    m.put("affiliationChanged", AFFILIATION_CHANGED);
    m.put("superseded", SUPERSEDED);
    m.put("cessationOfOperation", CESSATION_OF_OPERATION);
    m.put("privilegeWithdrawn", PRIVILEGE_WITHDRAWN);
    m.put("removeFromCRL", REINSTATEMENT);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The RFC 5280 CRLReason names accepted as aliases, each with the code it stands for (in the
   * RFC's spelling; matched ignoring case).
   */
  public static Map<String, Reason> rfc5280Aliases() {
    return RFC_5280_ALIASES;
  }

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire code; null or empty gives {@link #UNSPECIFIED}. */
  public static Reason parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return UNSPECIFIED;
    }
    if (raw.length() <= 40) {
      String upper = raw.toUpperCase(Locale.ROOT);
      for (Reason r : values()) {
        if (r.name().equals(upper)) {
          return r;
        }
      }
      for (Map.Entry<String, Reason> alias : RFC_5280_ALIASES.entrySet()) {
        if (alias.getKey().equalsIgnoreCase(raw)) {
          return alias.getValue();
        }
      }
      String refused = RFC_5280_REFUSED.get(raw.toLowerCase(Locale.ROOT));
      if (refused != null) {
        throw new RegistryException.InvalidInput("reason " + Ids.quote(raw) + ": " + refused);
      }
    }
    throw new RegistryException.InvalidInput(
        "unknown reason "
            + Ids.quote(raw)
            + "; known: "
            + java.util.Arrays.toString(codes())
            + " and the RFC 5280 names "
            + RFC_5280_ALIASES.keySet());
  }

  private static String[] codes() {
    Reason[] all = values();
    String[] out = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      out[i] = all[i].code();
    }
    return out;
  }
}
