package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An identifier list took a revoked identifier (ISO/IEC 18013-5 mdoc revocation): permanent, there
 * is no way back. {@code slot} is the allocation slot the identifier was made from ({@code
 * IdentifierCipher}), the bit the fold sets; the identifier itself is carried for audit and
 * analytics.
 */
public record IdentifierRevoked(
    EventId id, ListId listId, long slot, byte[] identifier, Reason reason, Actor actor, Instant at)
    implements RegistryEvent {

  public IdentifierRevoked {
    identifier = identifier.clone();
  }

  @Override
  public byte[] identifier() {
    return identifier.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdentifierRevoked e
        && e.id.equals(id)
        && e.listId.equals(listId)
        && e.slot == slot
        && Arrays.equals(e.identifier, identifier)
        && e.reason == reason
        && e.actor.equals(actor)
        && e.at.equals(at);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Long.hashCode(slot);
  }

  @Override
  public String toString() {
    return "IdentifierRevoked[id="
        + id
        + ", list="
        + listId
        + ", slot="
        + slot
        + ", identifier="
        + HexFormat.of().formatHex(identifier)
        + ", reason="
        + reason
        + ", at="
        + at
        + "]";
  }
}
