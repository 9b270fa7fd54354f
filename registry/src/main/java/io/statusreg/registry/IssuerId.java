package io.statusreg.registry;

/**
 * An issuer's id: a lowercase DNS-label-like name ({@code [a-z0-9][a-z0-9-]{0,62}}) that appears in
 * URLs ({@code /statuslists/{issuer}/...}) and in Kafka keys.
 */
public record IssuerId(String value) {
  public IssuerId {
    if (!valid(value)) {
      throw new RegistryException.InvalidInput(
          "issuer id must match [a-z0-9][a-z0-9-]{0,62}, got " + Ids.quote(value));
    }
  }

  /**
   * Whether {@code value} matches {@code [a-z0-9][a-z0-9-]{0,62}} (written out: an id is checked
   * for every record the registry reads, and a regex match was a visible cost per event).
   */
  static boolean valid(String value) {
    if (value == null || value.isEmpty() || value.length() > 63 || value.charAt(0) == '-') {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public static IssuerId of(String value) {
    return new IssuerId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
