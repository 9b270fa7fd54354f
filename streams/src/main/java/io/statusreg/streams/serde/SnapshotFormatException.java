package io.statusreg.streams.serde;

import io.statusreg.registry.RegistryException;

/** A value of {@code statusreg.snapshots} (or a snapshot body inside one) that cannot be read. */
public final class SnapshotFormatException extends RegistryException.InvalidInput {
  public SnapshotFormatException(String message) {
    super(message);
  }

  public SnapshotFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
