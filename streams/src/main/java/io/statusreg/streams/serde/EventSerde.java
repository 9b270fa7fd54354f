package io.statusreg.streams.serde;

import io.statusreg.common.wire.WireSerde;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;

/** Values of {@code statusreg.events}: {@link EventCodec}'s versioned JSON. */
public final class EventSerde extends WireSerde<RegistryEvent> {
  @Override
  protected byte[] encode(RegistryEvent value) {
    return EventCodec.encode(value);
  }

  @Override
  protected RegistryEvent decode(byte[] bytes) {
    return EventCodec.decode(bytes);
  }
}
