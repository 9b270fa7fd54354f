package io.statusreg.api.verifier;

/** The public signing keys of every issuer, as a JWKS document (each key with its kid). */
@FunctionalInterface
public interface PublicKeys {
  String jwksJson();
}
