package io.statusreg.statefulsets;

/** A manifest or kustomization that cannot be rendered or does not fit the typed models. */
public final class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
