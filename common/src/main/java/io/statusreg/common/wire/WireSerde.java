package io.statusreg.common.wire;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Base of the one-serde-per-wire-type classes: a serde over a static codec. Decoding failures are
 * {@link io.statusreg.registry.RegistryException.InvalidInput}; {@code null} stays {@code null}
 * (tombstones).
 */
public abstract class WireSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {
  protected abstract byte[] encode(T value);

  protected abstract T decode(byte[] bytes);

  @Override
  public byte[] serialize(String topic, T data) {
    return data == null ? null : encode(data);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return data == null ? null : decode(data);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
