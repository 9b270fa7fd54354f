package io.statusreg.streams;

import io.statusreg.common.TopicCatalogue;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs a registry principal is granted in {@link SecuredKafkaIT}: the README's table "Kafka
 * ACLs" for an application id. {@link ReadmeAclsTest} holds the table and this list equal, so that
 * the IT proving the ACLs sufficient proves the documented ones.
 */
final class RegistryAcls {
  private RegistryAcls() {}

  static List<AclBinding> of(String principal, String applicationId) {
    List<AclBinding> acls = new ArrayList<>();
    for (String topic :
        List.of(TopicCatalogue.COMMANDS, TopicCatalogue.REPLIES, TopicCatalogue.TOKENS)) {
      acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
      acls.add(
          allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
    }
    acls.add(
        allow(
            principal,
            ResourceType.TOPIC,
            TopicCatalogue.EVENTS,
            PatternType.LITERAL,
            AclOperation.WRITE));
    acls.add(
        allow(
            principal,
            ResourceType.TOPIC,
            TopicCatalogue.DLQ,
            PatternType.LITERAL,
            AclOperation.WRITE));
    // Streams' internal (changelog) topics: created, described, read and written by the node.
    acls.add(
        allow(
            principal,
            ResourceType.TOPIC,
            applicationId + "-",
            PatternType.PREFIXED,
            AclOperation.ALL));
    acls.add(
        allow(
            principal, ResourceType.GROUP, applicationId, PatternType.LITERAL, AclOperation.READ));
    acls.add(
        allow(
            principal,
            ResourceType.TRANSACTIONAL_ID,
            applicationId,
            PatternType.PREFIXED,
            AclOperation.WRITE));
    return acls;
  }

  static AclBinding allow(
      String principal, ResourceType type, String name, PatternType pattern, AclOperation op) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
  }
}
