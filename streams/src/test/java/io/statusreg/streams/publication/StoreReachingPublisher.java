package io.statusreg.streams.publication;

import org.apache.kafka.streams.state.KeyValueStore;

/** A test-only class in the publication package that breaks the architecture rule on purpose. */
public final class StoreReachingPublisher {
  KeyValueStore<String, byte[]> store;

  boolean open() {
    return store != null && store.isOpen();
  }
}
