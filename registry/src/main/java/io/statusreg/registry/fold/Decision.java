package io.statusreg.registry.fold;

import io.statusreg.registry.events.RegistryEvent;
import java.util.List;

/** The outcome of deciding a command: the events to append, or why it was refused. */
public sealed interface Decision {
  record Accepted(List<RegistryEvent> events) implements Decision {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  record Rejected(Rejection rejection) implements Decision {}

  static Decision rejected(Rejection.Kind kind, String message) {
    return new Rejected(new Rejection(kind, message));
  }
}
