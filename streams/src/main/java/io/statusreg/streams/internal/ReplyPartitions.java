package io.statusreg.streams.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Which {@code statusreg.replies} partition a reply goes to. The gateway names it in the request
 * id: {@code <uuid>.<partition>}, the partition of {@code statusreg.commands} that the command's
 * list key goes to (the producer's own partitioner: murmur2 of the key). The owner's {@link
 * Partitioner} sends the reply there, so the replies of one task's transaction all land on one
 * partition: a commit writes one replies marker per task instead of one per replies partition, and
 * a reply waits only for that task's transaction to reach the last stable offset, not for every
 * owner's open transaction that happened to touch the same partition.
 *
 * <p>Only a hint: a bare UUID (a gateway of a release before this one) or a malformed suffix goes
 * where the default partitioner puts it (murmur2 of the key), as before; and the gateway reads
 * every replies partition, so a reply from an owner of the previous release, which partitions by
 * key, is found too (mixed versions during a rolling upgrade).
 */
public final class ReplyPartitions {
  private static final int UUID_LENGTH = 36;

  /** At most 9 digits: a partition number below 10^9, never an int overflow. */
  private static final int MAX_DIGITS = 9;

  private ReplyPartitions() {}

  /** A request id naming the replies partition matching {@code listKey}'s command partition. */
  public static String requestId(UUID id, String listKey, int commandPartitions) {
    return id + "." + commandPartition(listKey, commandPartitions);
  }

  /** The partition the producer's default partitioner gives {@code listKey} on the commands. */
  static int commandPartition(String listKey, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive: " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(listKey.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** The partition named by a request id, if it names one. */
  static Optional<Integer> named(byte[] requestId) {
    if (requestId == null
        || requestId.length < UUID_LENGTH + 2
        || requestId.length > UUID_LENGTH + 1 + MAX_DIGITS
        || requestId[UUID_LENGTH] != '.') {
      return Optional.empty();
    }
    int partition = 0;
    for (int i = UUID_LENGTH + 1; i < requestId.length; i++) {
      byte b = requestId[i];
      if (b < '0' || b > '9') {
        return Optional.empty();
      }
      partition = partition * 10 + (b - '0');
    }
    return Optional.of(partition);
  }

  /** The replies sink's partitioner: the named partition modulo the topic's, else the default. */
  public static final class Partitioner implements StreamPartitioner<byte[], byte[]> {
    @Override
    public Optional<Set<Integer>> partitions(
        String topic, byte[] key, byte[] value, int numPartitions) {
      return named(key).map(p -> Set.of(p % numPartitions));
    }
  }
}
