package io.statusreg.api.issuance;

import io.statusreg.registry.ListId;

/** The public URI of a list: {@code <base>/statuslists/<issuer>/<name>}. */
public record ListUris(String publicBaseUrl) {
  public String of(ListId list) {
    return publicBaseUrl + "/statuslists/" + list.issuer().value() + "/" + list.name();
  }
}
