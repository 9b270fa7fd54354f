package io.statusreg.statefulsets;

/**
 * A container image reference split into name, tag and digest: {@code
 * registry:5000/a/b:1.2@sha256:..}. A colon counts as a tag separator only after the last slash, so
 * a registry port is not a tag.
 */
public record ImageRef(String name, String tag, String digest) {

  public static ImageRef parse(String image) {
    String rest = image;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    String tag = null;
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    return new ImageRef(rest, tag, digest);
  }

  /** Pinned: an explicit tag other than {@code latest}, or a digest. */
  public boolean pinned() {
    return digest != null || (tag != null && !tag.isBlank() && !tag.equals("latest"));
  }
}
