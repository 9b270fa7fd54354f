package io.statusreg.chaos.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;

/**
 * The Streams application's consumer group as an operator sees it. A static member does not leave
 * the group when its instance closes; after a scale-down its members are removed explicitly (what a
 * StatefulSet scale-down hook does), or the group waits a full session timeout for them.
 */
public final class GroupMembership {
  private GroupMembership() {}

  /** The {@code group.instance.id}s of {@code groupId} that belong to instance {@code name}. */
  public static List<String> staticMembersOf(
      String bootstrapServers, String groupId, String name, Duration timeout) {
    try (Admin admin = admin(bootstrapServers)) {
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

  /** Removes static members by {@code group.instance.id}; returns how many were removed. */
  public static int remove(
      String bootstrapServers, String groupId, List<String> instanceIds, Duration timeout) {
    if (instanceIds.isEmpty()) {
      return 0;
    }
    try (Admin admin = admin(bootstrapServers)) {
      admin
          .removeMembersFromConsumerGroup(
              groupId,
              new RemoveMembersFromConsumerGroupOptions(
                  instanceIds.stream().map(MemberToRemove::new).toList()))
          .all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return instanceIds.size();
    } catch (Exception e) {
      throw new IllegalStateException("removing " + instanceIds + " from group " + groupId, e);
    }
  }

  private static Admin admin(String bootstrapServers) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
  }
}
