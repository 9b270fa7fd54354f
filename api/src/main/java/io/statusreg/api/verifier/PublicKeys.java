package io.statusreg.api.verifier;

import io.statusreg.registry.IssuerId;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKeys;
import java.util.Optional;

/** The public signing keys of every issuer, as a JWKS document (each key with its kid). */
@FunctionalInterface
public interface PublicKeys {
  /** Every public key a verifier may need: all issuers' keys, old ones until they retire. */
  String jwksJson();

  /** The JWKS that verifies {@code issuer}'s tokens; by default the one document for all. */
  default String jwksJson(IssuerId issuer) {
    return jwksJson();
  }

  /**
   * The DER of the leaf certificate that signs {@code issuer}'s lists now, when the lists are
   * signed by a separate list signer (a certificate with the status list signing EKU, {@code
   * signing.status.eku}), not by the key that signs the issuer's credentials; empty otherwise. ISO
   * 18013-5 (2nd edition) lets the MSO's {@code identifier_list} and {@code status_list} entries
   * carry it as {@code certificate}.
   */
  default Optional<byte[]> listSignerCertificate(IssuerId issuer) {
    return Optional.empty();
  }

  /**
   * The algorithm of the key that signs {@code issuer}'s lists now; empty when not known (then
   * nothing is refused ahead of signing).
   */
  default Optional<SignatureAlgorithm> signingAlgorithm(IssuerId issuer) {
    return Optional.empty();
  }

  /**
   * The keys of {@code keys}: every ring's published keys in {@link #jwksJson()}, the issuer's ring
   * in {@link #jwksJson(IssuerId)}, and with {@code separateListSigner} (start-up checked that
   * every leaf carries {@code signing.status.eku}) the leaf certificate of the key that signs the
   * issuer's lists now.
   */
  static PublicKeys of(SigningKeys keys, boolean separateListSigner) {
    return new PublicKeys() {
      @Override
      public String jwksJson() {
        return keys.publicJwks();
      }

      @Override
      public String jwksJson(IssuerId issuer) {
        return keys.publicJwks(issuer);
      }

      @Override
      public Optional<SignatureAlgorithm> signingAlgorithm(IssuerId issuer) {
        return Optional.of(keys.active(issuer).algorithm());
      }

      @Override
      public Optional<byte[]> listSignerCertificate(IssuerId issuer) {
        if (!separateListSigner) {
          return Optional.empty();
        }
        var x5c = keys.active(issuer).x5c();
        return x5c.isEmpty() ? Optional.empty() : Optional.of(x5c.getFirst().decode());
      }
    };
  }
}
