package io.statusreg.registry;

import java.util.Locale;

/**
 * Who caused an event: the kind (issuer API client, operator tooling, the system itself) and a
 * subject (the authenticated client's {@code sub}, an operator's name), kept short for audit logs.
 */
public record Actor(Kind kind, String subject) {
  public enum Kind {
    ISSUER,
    OPERATOR,
    SYSTEM;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String raw) {
      for (Kind k : values()) {
        if (k.code().equals(raw)) {
          return k;
        }
      }
      throw new RegistryException.InvalidInput("unknown actor kind " + Ids.quote(raw));
    }
  }

  public static final Actor SYSTEM = new Actor(Kind.SYSTEM, "statusreg");

  public Actor {
    if (kind == null) {
      throw new RegistryException.InvalidInput("actor needs a kind");
    }
    if (subject == null || subject.isEmpty() || subject.length() > 256) {
      throw new RegistryException.InvalidInput("actor subject must be 1-256 characters");
    }
  }

  public static Actor issuer(String subject) {
    return new Actor(Kind.ISSUER, subject);
  }

  public static Actor operator(String subject) {
    return new Actor(Kind.OPERATOR, subject);
  }
}
