package io.statusreg.registry;

import java.util.UUID;

/** The id every event carries; the fold is idempotent on it. */
public record EventId(UUID value) {
  public EventId {
    if (value == null) {
      throw new RegistryException.InvalidInput("event id must not be null");
    }
  }

  public static EventId random() {
    return new EventId(UUID.randomUUID());
  }

  public static EventId of(String raw) {
    try {
      return new EventId(UUID.fromString(raw));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new RegistryException.InvalidInput("event id must be a UUID, got " + Ids.quote(raw));
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
