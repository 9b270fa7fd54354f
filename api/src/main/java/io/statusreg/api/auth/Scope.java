package io.statusreg.api.auth;

/** The scopes an issuer token may carry (space separated in its {@code scope} claim). */
public enum Scope {
  STATUS_WRITE("status:write"),
  STATUS_READ("status:read"),
  LISTS_ADMIN("lists:admin");

  private final String code;

  Scope(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
