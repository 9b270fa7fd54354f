package io.statusreg.streams.publication;

import io.statusreg.streams.publication.PublisherMetrics.Failure;

/** A publication that failed, with the step that failed ({@link Failure}, the metric's reason). */
public final class PublicationException extends RuntimeException {
  private final Failure reason;

  public PublicationException(Failure reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Failure reason() {
    return reason;
  }
}
