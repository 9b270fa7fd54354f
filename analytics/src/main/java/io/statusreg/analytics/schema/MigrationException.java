package io.statusreg.analytics.schema;

/** A migration cannot be read or applied, or the database disagrees with the known migrations. */
public final class MigrationException extends RuntimeException {
  public MigrationException(String message) {
    super(message);
  }

  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
