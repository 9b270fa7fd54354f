package io.statusreg.registry.identifiers;

import io.statusreg.registry.RegistryException;

/**
 * What a list holds. A status list (IETF Token Status List, W3C Bitstring Status List) has an entry
 * of {@code bits} bits per index; an identifier list (ISO/IEC 18013-5 2nd edition, 12.3.6.4) is the
 * set of revoked document identifiers, each an opaque byte string the issuer embedded in the mdoc's
 * MSO.
 */
public enum ListKind {
  STATUS_LIST("status_list"),
  IDENTIFIER_LIST("identifier_list");

  private final String code;

  ListKind(String code) {
    this.code = code;
  }

  /** The wire and API name. */
  public String code() {
    return code;
  }

  public static ListKind parse(String raw) {
    for (ListKind k : values()) {
      if (k.code.equals(raw)) {
        return k;
      }
    }
    throw new RegistryException.InvalidInput("list kind must be status_list or identifier_list");
  }
}
