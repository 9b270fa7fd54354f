package io.statusreg.registry;

/**
 * A status list's id: the owning issuer plus a name ({@code [A-Za-z0-9_-]{1,64}}). Its string form
 * {@code issuer/name} is the Kafka key of every record about the list, so one list's events stay on
 * one partition and every list is scoped to its issuer.
 */
public record ListId(IssuerId issuer, String name) {

  public ListId {
    if (issuer == null) {
      throw new RegistryException.InvalidInput("list id needs an issuer");
    }
    if (name == null || !validName(name)) {
      throw new RegistryException.InvalidInput(
          "list name must match [A-Za-z0-9_-]{1,64}, got " + Ids.quote(name));
    }
  }

  /**
   * Whether {@code name} matches {@code [A-Za-z0-9_-]{1,64}} (written out, as {@link IssuerId}).
   */
  static boolean validName(String name) {
    if (name.isEmpty() || name.length() > 64) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public static ListId of(String issuer, String name) {
    return new ListId(IssuerId.of(issuer), name);
  }

  /** Parses the key form {@code issuer/name}. */
  public static ListId parse(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    if (slash <= 0) {
      throw new RegistryException.InvalidInput(
          "list key must be issuer/name, got " + Ids.quote(key));
    }
    return of(key.substring(0, slash), key.substring(slash + 1));
  }

  /** The key form {@code issuer/name}. */
  public String key() {
    return issuer.value() + "/" + name;
  }

  @Override
  public String toString() {
    return key();
  }
}
