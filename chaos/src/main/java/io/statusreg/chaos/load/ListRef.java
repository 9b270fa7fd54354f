package io.statusreg.chaos.load;

/** One status list the load works on: {@code issuer} and list {@code name} (the path segments). */
public record ListRef(String issuer, String name) {
  /** The key of the list's records on {@code statusreg.events}: {@code issuer/name}. */
  public String key() {
    return issuer + "/" + name;
  }

  public String verifierPath() {
    return "/statuslists/" + issuer + "/" + name;
  }

  public String issuerPath() {
    return "/issuers/" + issuer + "/lists/" + name;
  }

  @Override
  public String toString() {
    return key();
  }
}
