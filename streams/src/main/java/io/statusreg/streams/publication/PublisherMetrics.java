package io.statusreg.streams.publication;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the publishers of one node have done, for the metrics endpoint ({@code
 * statusreg_publisher_*} in the api's {@code MetricNames}): lists published, their bytes, failures
 * by reason, lists in back-off, and each publication's duration through a {@link Listener}.
 * Thread-safe; one per node, shared by every task's publisher.
 */
public final class PublisherMetrics {
  /** Why a publication failed: a closed set, so the failure counter's label stays bounded. */
  public enum Failure {
    /** The signer threw (no usable key, an HSM that does not answer, a bad key). */
    SIGNING("signing"),
    /** Compressing or assembling the list failed. */
    ENCODING("encoding"),
    /** Reading the list from the state store failed. */
    STORE("store"),
    /** Anything else (building or forwarding the token record). */
    OTHER("other");

    private final String label;

    Failure(String label) {
      this.label = label;
    }

    /** The value of the metric's {@code reason} label. */
    public String label() {
      return label;
    }
  }

  /** Told of every publication as it happens (the metrics registry's timer). */
  public interface Listener {
    void published(long bytes, Duration took);

    Listener NONE = (bytes, took) -> {};
  }

  private final AtomicLong published = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final Map<Failure, AtomicLong> failures = new EnumMap<>(Failure.class);
  private final AtomicInteger inBackoff = new AtomicInteger();
  private volatile Listener listener = Listener.NONE;

  public PublisherMetrics() {
    for (Failure f : Failure.values()) {
      failures.put(f, new AtomicLong());
    }
  }

  /** Sets the one listener (the metrics registry's), replacing any earlier one. */
  public void listen(Listener l) {
    listener = Objects.requireNonNull(l, "listener");
  }

  void published(long tokenBytes, Duration took) {
    published.incrementAndGet();
    bytes.addAndGet(tokenBytes);
    listener.published(tokenBytes, took);
  }

  void failed(Failure reason) {
    failures.get(reason).incrementAndGet();
  }

  void backoffEntered() {
    inBackoff.incrementAndGet();
  }

  void backoffLeft() {
    inBackoff.decrementAndGet();
  }

  /** Lists published (tokens signed and handed to the topology) since the node started. */
  public long published() {
    return published.get();
  }

  /** Bytes of those tokens (JWT + CWT + W3C credential). */
  public long bytes() {
    return bytes.get();
  }

  /** Failed publication attempts with this reason. */
  public long failures(Failure reason) {
    return failures.get(reason).get();
  }

  /** Lists whose publication failed and that wait for their next attempt. */
  public int inBackoff() {
    return inBackoff.get();
  }
}
