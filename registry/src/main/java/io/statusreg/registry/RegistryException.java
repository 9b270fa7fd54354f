package io.statusreg.registry;

/**
 * Base of every error the registry core raises for input it cannot accept or work it cannot do.
 * Subclasses are typed so that callers (HTTP, Streams) can map each kind to a response without
 * reading messages; messages say what was being done and never carry secrets.
 */
public class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Malformed or out-of-range input: an id, a status code, a size, a wire record. */
  public static class InvalidInput extends RegistryException {
    public InvalidInput(String message) {
      super(message);
    }

    public InvalidInput(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
