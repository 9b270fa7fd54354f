package io.statusreg.registry;

import java.util.regex.Pattern;

/**
 * An issuer's id: a lowercase DNS-label-like name ({@code [a-z0-9][a-z0-9-]{0,62}}) that appears in
 * URLs ({@code /statuslists/{issuer}/...}) and in Kafka keys.
 */
public record IssuerId(String value) {
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public IssuerId {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new RegistryException.InvalidInput(
          "issuer id must match [a-z0-9][a-z0-9-]{0,62}, got " + Ids.quote(value));
    }
  }

  public static IssuerId of(String value) {
    return new IssuerId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
