package io.statusreg.chaos.cluster;

import io.statusreg.compaction.KafkaAccess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * The Streams application's consumer group as an operator sees it, read only: the harness never
 * changes the group. A registry instance that stops on SIGTERM leaves it by itself ({@code
 * leave.group.on.stop}), so a scale-in needs no hook; the scale-in scenario reads the group to
 * check that.
 */
public final class GroupMembership {
  private GroupMembership() {}

  /** The {@code group.instance.id}s of {@code groupId} that belong to instance {@code name}. */
  public static List<String> staticMembersOf(
      KafkaAccess kafka, String groupId, String name, Duration timeout) {
    try (Admin admin = kafka.admin()) {
      ConsumerGroupDescription group =
          admin
              .describeConsumerGroups(List.of(groupId))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(groupId);
      return group.members().stream()
          .map(MemberDescription::groupInstanceId)
          .flatMap(java.util.Optional::stream)
          .filter(id -> id.equals(name) || id.startsWith(name + "-"))
          .toList();
    } catch (Exception e) {
      throw new IllegalStateException("describing consumer group " + groupId, e);
    }
  }
}
