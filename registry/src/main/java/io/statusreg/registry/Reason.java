package io.statusreg.registry;

import java.util.Locale;

/** Why a status changed, with its wire code (lower snake case). */
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
    }
    throw new RegistryException.InvalidInput(
        "unknown reason " + Ids.quote(raw) + "; known: " + java.util.Arrays.toString(codes()));
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
