package io.statusreg.registry.identifiers;

import io.statusreg.registry.tokens.internal.Cbor;

/**
 * The {@code status} entry an issuer embeds in an mdoc's MSO (ISO/IEC 18013-5 2nd edition, 12.3.6):
 * for an identifier list {@code {"identifier_list": {"id": bstr, "uri": tstr, ? "certificate":
 * bstr}}}, for a status list {@code {"status_list": {"idx": uint, "uri": tstr, ? "certificate":
 * bstr}}}; the certificate (DER) being present only when a separate list signer certificate signs
 * the list.
 */
public final class MsoEntry {
  private MsoEntry() {}

  /** The CBOR bytes of an identifier list entry. */
  public static byte[] identifierList(byte[] id, String uri, byte[] certificate) {
    Cbor.Writer w = head("identifier_list", certificate);
    w.text("id").bytes(id);
    return rest(w, uri, certificate);
  }

  /** The CBOR bytes of a status list entry (mdoc revocation by status list, 1-bit lists). */
  public static byte[] statusList(long idx, String uri, byte[] certificate) {
    if (idx < 0) {
      throw new IllegalArgumentException("idx must not be negative");
    }
    Cbor.Writer w = head("status_list", certificate);
    w.text("idx").integer(idx);
    return rest(w, uri, certificate);
  }

  /** {@code {kind: {...}}} with room for the info's members (2, or 3 with a certificate). */
  private static Cbor.Writer head(String kind, byte[] certificate) {
    return new Cbor.Writer().map(1).text(kind).map(certificate == null ? 2 : 3);
  }

  /** The info's {@code uri} and, when there is one, {@code certificate}. */
  private static byte[] rest(Cbor.Writer w, String uri, byte[] certificate) {
    w.text("uri").text(uri);
    if (certificate != null) {
      w.text("certificate").bytes(certificate);
    }
    return w.toByteArray();
  }
}
