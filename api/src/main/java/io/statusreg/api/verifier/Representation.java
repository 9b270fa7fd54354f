package io.statusreg.api.verifier;

import io.statusreg.common.wire.PublishedToken;

/**
 * The media types a list is served as, in the server's order of preference. A status list has the
 * first three; an ISO/IEC 18013-5 identifier list has only {@link #IDENTIFIER_LIST}.
 */
public enum Representation {
  JWT("application/statuslist+jwt", "jwt"),
  CWT("application/statuslist+cwt", "cwt"),
  W3C("application/vc+jwt", "vc"),
  IDENTIFIER_LIST("application/identifierlist+cwt", "idl");

  private final String mediaType;
  private final String tag;

  Representation(String mediaType, String tag) {
    this.mediaType = mediaType;
    this.tag = tag;
  }

  public String mediaType() {
    return mediaType;
  }

  /** Short suffix that makes the entity tag differ per representation. */
  String tag() {
    return tag;
  }

  /** This representation's bytes in a publication; empty when the list has none of this kind. */
  byte[] bytes(PublishedToken token) {
    byte[] b =
        switch (this) {
          case JWT -> token.jwt();
          case CWT -> token.isIdentifierList() ? null : token.cwt();
          case W3C -> token.w3c();
          case IDENTIFIER_LIST -> token.isIdentifierList() ? token.cwt() : null;
        };
    return b == null ? new byte[0] : b;
  }
}
