package io.statusreg.registry.events;

import io.statusreg.registry.RegistryException;
import java.util.Locale;

/** What a list's entries mean (W3C {@code statusPurpose}); IETF lists carry any status values. */
public enum Purpose {
  REVOCATION,
  SUSPENSION,
  MESSAGE;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Purpose parse(String raw) {
    for (Purpose p : values()) {
      if (p.code().equals(raw)) {
        return p;
      }
    }
    throw new RegistryException.InvalidInput("purpose must be revocation, suspension or message");
  }
}
