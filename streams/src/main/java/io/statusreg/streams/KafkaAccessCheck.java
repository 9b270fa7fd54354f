package io.statusreg.streams;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.registry.RegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A start-up check of the registry principal's Kafka ACLs, so that a missing ACL stops the node
 * with an error that names it, instead of a stream thread dying later with a bare authorization
 * failure. It checks what the node needs (the README's "Kafka ACLs" table):
 *
 * <ul>
 *   <li>topics {@code statusreg.commands} READ+WRITE, {@code statusreg.events} WRITE, {@code
 *       statusreg.replies} READ+WRITE, {@code statusreg.tokens} READ+WRITE, {@code statusreg.dlq}
 *       WRITE;
 *   <li>topics with the prefix {@code <application.id>-} (Streams' internal topics): DESCRIBE and
 *       CREATE, checked on a topic of the prefix that does not exist (so a fresh cluster is checked
 *       too), and READ+WRITE on the changelog topics that exist;
 *   <li>group {@code <application.id>} READ (before the group first exists only DESCRIBE, which
 *       READ implies, can be checked);
 *   <li>transactional ids with the prefix {@code <application.id>} (DESCRIBE of one that does not
 *       exist, which WRITE implies).
 * </ul>
 *
 * <p>A broker without an authorizer reports no operations; then nothing is checked.
 */
public final class KafkaAccessCheck {
  private KafkaAccessCheck() {}

  /** Thrown when the principal lacks an ACL the node needs; the message names every one. */
  public static final class MissingAclException extends RegistryException {
    private final List<String> missing;

    MissingAclException(List<String> missing) {
      super(
          "the Kafka principal of this node lacks ACL(s): "
              + String.join("; ", missing)
              + " (see the README's Kafka ACLs)");
      this.missing = List.copyOf(missing);
    }

    /** Each missing ACL as {@code OPERATION on RESOURCE name}. */
    public List<String> missing() {
      return missing;
    }
  }

  /** The topics the node uses and the operations it needs on each. */
  static Map<String, Set<AclOperation>> topicOperations() {
    Map<String, Set<AclOperation>> need = new LinkedHashMap<>();
    need.put(TopicCatalogue.COMMANDS, EnumSet.of(AclOperation.READ, AclOperation.WRITE));
    need.put(TopicCatalogue.EVENTS, EnumSet.of(AclOperation.WRITE));
    need.put(TopicCatalogue.REPLIES, EnumSet.of(AclOperation.READ, AclOperation.WRITE));
    need.put(TopicCatalogue.TOKENS, EnumSet.of(AclOperation.READ, AclOperation.WRITE));
    need.put(TopicCatalogue.DLQ, EnumSet.of(AclOperation.WRITE));
    return need;
  }

  /**
   * Checks the ACLs of the principal {@code settings} connect with.
   *
   * @throws MissingAclException naming every missing ACL
   * @throws RegistryException when Kafka cannot be reached or refuses the credentials
   */
  public static void check(StreamsSettings settings, Duration timeout) {
    Map<String, Object> config = RegistryNode.adminConfig(settings);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "statusreg-acl-check");
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    List<String> missing = new ArrayList<>();
    try (Admin admin = Admin.create(config)) {
      Map<String, Set<AclOperation>> need = topicOperations();
      String prefix = settings.applicationId() + "-";
      for (String t : admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        if (t.startsWith(prefix) && t.endsWith("-changelog")) {
          need.put(t, EnumSet.of(AclOperation.READ, AclOperation.WRITE));
        }
      }
      var described =
          admin
              .describeTopics(
                  need.keySet(), new DescribeTopicsOptions().includeAuthorizedOperations(true))
              .topicNameValues();
      for (var e : need.entrySet()) {
        try {
          TopicDescription d =
              described.get(e.getKey()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          Set<AclOperation> ops = d.authorizedOperations();
          if (ops == null) {
            return; // no authorizer
          }
          for (AclOperation op : e.getValue()) {
            if (!allows(ops, op)) {
              missing.add(op + " on TOPIC " + e.getKey());
            }
          }
        } catch (ExecutionException ex) {
          if (ex.getCause() instanceof TopicAuthorizationException) {
            missing.add("DESCRIBE (and " + e.getValue() + ") on TOPIC " + e.getKey());
          } else if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
            throw new RegistryException(
                "topic " + e.getKey() + " does not exist: create the topics first");
          } else {
            throw ex;
          }
        }
      }
      missing.addAll(checkInternalTopicPrefix(admin, prefix, timeout));
      String group = settings.applicationId();
      try {
        ConsumerGroupDescription g =
            admin
                .describeConsumerGroups(
                    List.of(group),
                    new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                .describedGroups()
                .get(group)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Set<AclOperation> ops = g.authorizedOperations();
        if (ops != null && !allows(ops, AclOperation.READ)) {
          missing.add("READ on GROUP " + group);
        }
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof GroupAuthorizationException) {
          missing.add("READ on GROUP " + group);
        } else if (ex.getCause() instanceof GroupIdNotFoundException) {
          // DESCRIBE is granted (READ implies it); READ itself shows once the group exists
        } else {
          throw ex;
        }
      }
      String transactionalId = settings.applicationId() + "-acl-check";
      try {
        admin
            .describeTransactions(List.of(transactionalId))
            .description(transactionalId)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException ex) {
        if (ex.getCause() instanceof TransactionalIdAuthorizationException) {
          missing.add("WRITE on TRANSACTIONAL_ID prefix " + settings.applicationId());
        } else if (!(ex.getCause() instanceof TransactionalIdNotFoundException)) {
          throw ex;
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException a) {
        throw new RegistryException("Kafka refused this node's credentials: " + a.getMessage());
      }
      throw new RegistryException("checking the Kafka ACLs failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new RegistryException(
          "checking the Kafka ACLs: no answer from "
              + settings.bootstrapServers()
              + " within "
              + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while checking the Kafka ACLs");
    }
    if (!missing.isEmpty()) {
      throw new MissingAclException(missing);
    }
  }

  /**
   * DESCRIBE and CREATE on the topics with the prefix {@code <application.id>-} (Streams' internal
   * topics), checked on a topic of that prefix that does not exist, so that a fresh cluster, before
   * Streams created its first changelog, is checked too: describing it answers "unknown topic" only
   * with DESCRIBE granted, and a validate-only creation of it (nothing is created) succeeds only
   * with CREATE. READ and WRITE can only be seen on a topic that exists: they are checked on the
   * changelog topics once they do.
   */
  private static List<String> checkInternalTopicPrefix(Admin admin, String prefix, Duration timeout)
      throws ExecutionException, InterruptedException, TimeoutException {
    String probe = prefix + "statusreg-acl-check-probe";
    String what = " on TOPIC prefix " + prefix + " (Streams' internal topics)";
    List<String> missing = new ArrayList<>();
    try {
      admin
          .describeTopics(List.of(probe))
          .topicNameValues()
          .get(probe)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException ex) {
      if (ex.getCause() instanceof TopicAuthorizationException) {
        missing.add("DESCRIBE" + what);
      } else if (!(ex.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw ex;
      }
    }
    try {
      admin
          .createTopics(
              List.of(new NewTopic(probe, Optional.empty(), Optional.empty())),
              new CreateTopicsOptions().validateOnly(true))
          .values()
          .get(probe)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException ex) {
      if (ex.getCause() instanceof TopicAuthorizationException
          || ex.getCause() instanceof ClusterAuthorizationException) {
        missing.add("CREATE" + what);
      }
      // any other answer (the topic exists, a creation policy, the replication factor) comes
      // after the authorization: CREATE is granted
    }
    return missing;
  }

  private static boolean allows(Set<AclOperation> granted, AclOperation op) {
    return granted.contains(op) || granted.contains(AclOperation.ALL);
  }
}
