package io.statusreg.api.verifier;

import io.statusreg.registry.IssuerId;

/** The public signing keys of every issuer, as a JWKS document (each key with its kid). */
@FunctionalInterface
public interface PublicKeys {
  String jwksJson();

  /** The JWKS that verifies {@code issuer}'s tokens; by default the one document for all. */
  default String jwksJson(IssuerId issuer) {
    return jwksJson();
  }
}
