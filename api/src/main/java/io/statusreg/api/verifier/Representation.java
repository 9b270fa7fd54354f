package io.statusreg.api.verifier;

import io.statusreg.common.wire.PublishedToken;

/** The media types a status list is served as, in the server's order of preference. */
public enum Representation {
  JWT("application/statuslist+jwt", "jwt"),
  CWT("application/statuslist+cwt", "cwt"),
  W3C("application/vc+jwt", "vc");

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
          case CWT -> token.cwt();
          case W3C -> token.w3c();
        };
    return b == null ? new byte[0] : b;
  }
}
