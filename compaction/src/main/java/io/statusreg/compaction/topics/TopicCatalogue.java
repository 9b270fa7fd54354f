package io.statusreg.compaction.topics;

import java.util.List;
import java.util.Optional;

/**
 * Every topic the registry uses, with its spec. The SRE tools create and verify exactly these.
 *
 * <p>The catalogue is owned by the Streams module (one catalogue pairing each topic with its
 * serdes); this interface is how the tools see it, so that they do not depend on serdes.
 */
public interface TopicCatalogue {
  List<TopicSpec> topics();

  default Optional<TopicSpec> topic(String name) {
    return topics().stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
