package io.statusreg.registry.identifiers;

import io.statusreg.registry.tokens.internal.Cbor;

/**
 * The {@code status} entry an issuer embeds in an mdoc's MSO for an identifier list (ISO/IEC
 * 18013-5 2nd edition, 12.3.6.4): {@code {"identifier_list": {"id": bstr, "uri": tstr, ?
 * "certificate": bstr}}}, the certificate being present only when a separate list signer
 * certificate signs the list.
 */
public final class MsoEntry {
  private MsoEntry() {}

  /** The CBOR bytes of the entry. */
  public static byte[] identifierList(byte[] id, String uri, byte[] certificate) {
    Cbor.Writer w = new Cbor.Writer().map(1).text("identifier_list");
    w.map(certificate == null ? 2 : 3).text("id").bytes(id).text("uri").text(uri);
    if (certificate != null) {
      w.text("certificate").bytes(certificate);
    }
    return w.toByteArray();
  }
}
