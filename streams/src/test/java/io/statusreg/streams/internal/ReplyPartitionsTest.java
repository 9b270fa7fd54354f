package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class ReplyPartitionsTest {
  private final ReplyPartitions.Partitioner partitioner = new ReplyPartitions.Partitioner();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theRequestIdNamesTheCommandsPartitionOfTheListAsTheProducerComputesIt() {
    UUID id = UUID.randomUUID();
    for (String list : new String[] {"acme/a", "acme/b", "issuer-7/list-3", "x/y"}) {
      int expected = BuiltInPartitioner.partitionForKey(bytes(list), 6);
      String requestId = ReplyPartitions.requestId(id, list, 6);

      assertThat(requestId).isEqualTo(id + "." + expected);
      assertThat(partitioner.partitions("statusreg.replies", bytes(requestId), null, 6))
          .contains(Set.of(expected));
    }
  }

  @Test
  void theNamedPartitionIsTakenModuloTheRepliesTopicsPartitions() {
    String requestId = UUID.randomUUID() + ".7";

    assertThat(partitioner.partitions("statusreg.replies", bytes(requestId), null, 6))
        .contains(Set.of(1));
    assertThat(partitioner.partitions("statusreg.replies", bytes(requestId), null, 8))
        .contains(Set.of(7));
  }

  @Test
  void aBareUuidFromAnEarlierGatewayGoesWhereTheDefaultPartitionerPutsIt() {
    String old = UUID.randomUUID().toString();

    assertThat(partitioner.partitions("statusreg.replies", bytes(old), null, 6)).isEmpty();
    assertThat(partitioner.partitions("statusreg.replies", null, null, 6)).isEmpty();
  }

  @Test
  void aMalformedSuffixIsIgnored() {
    String uuid = UUID.randomUUID().toString();
    for (String bad :
        new String[] {
          uuid + ".", uuid + ".-1", uuid + ".1a", uuid + "-3", uuid + ".1234567890", uuid + ". 3"
        }) {
      assertThat(ReplyPartitions.named(bytes(bad))).as(bad).isEqualTo(Optional.empty());
    }
    assertThat(ReplyPartitions.named(bytes(uuid + ".999999999"))).contains(999_999_999);
  }

  @Test
  void theCommandPartitionCountMustBePositive() {
    assertThatThrownBy(() -> ReplyPartitions.requestId(UUID.randomUUID(), "a/b", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
