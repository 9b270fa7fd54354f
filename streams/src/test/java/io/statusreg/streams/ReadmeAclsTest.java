package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * The README's table "Kafka ACLs" is what {@link SecuredKafkaIT} grants ({@link RegistryAcls}) and
 * what {@link KafkaAccessCheck} checks on the registry's topics, so the documentation cannot drift
 * from the ACLs proven sufficient.
 */
class ReadmeAclsTest {
  /** The application id the README's table is written for. */
  private static final String README_APP = "statusreg";

  /** The README's rows as ACL bindings of {@code principal}, for {@code applicationId}. */
  static List<AclBinding> readmeAcls(String principal, String applicationId) throws Exception {
    String text = Files.readString(Path.of("..", "README.md"));
    int section = text.indexOf("\n### Kafka ACLs\n");
    assertThat(section).as("README section \"### Kafka ACLs\"").isPositive();
    int end = text.indexOf("\n#", section + 1);
    List<String> rows =
        text.substring(section, end < 0 ? text.length() : end)
            .lines()
            .filter(l -> l.startsWith("| "))
            .toList();
    assertThat(rows.getFirst()).startsWith("| resource | pattern | name | operations |");
    List<AclBinding> acls = new ArrayList<>();
    for (String row : rows.subList(1, rows.size())) {
      String[] cells = row.split("\\|", -1);
      ResourceType type = ResourceType.fromString(cells[1].strip().toUpperCase(Locale.ROOT));
      assertThat(type).as("resource of %s", row).isNotEqualTo(ResourceType.UNKNOWN);
      String operations = cells[4].strip();
      if (operations.equals("none")) {
        continue;
      }
      PatternType pattern = PatternType.fromString(cells[2].strip().toUpperCase(Locale.ROOT));
      assertThat(pattern).as("pattern of %s", row).isNotEqualTo(PatternType.UNKNOWN);
      String name = cells[3].strip().replace("`", "");
      // names derived from the application id: the group, the internal topics' and the
      // transactional ids' prefixes
      if (name.equals(README_APP) || name.startsWith(README_APP + "-")) {
        name = applicationId + name.substring(README_APP.length());
      }
      for (String op : operations.split(",")) {
        AclOperation operation = AclOperation.fromString(op.strip().toUpperCase(Locale.ROOT));
        assertThat(operation).as("operation %s of %s", op, row).isNotEqualTo(AclOperation.UNKNOWN);
        acls.add(RegistryAcls.allow(principal, type, name, pattern, operation));
      }
    }
    return acls;
  }

  @Test
  void theReadmeTableIsExactlyWhatTheSecuredItGrants() throws Exception {
    assertThat(readmeAcls("User:statusreg", "statusreg-sec"))
        .containsExactlyInAnyOrderElementsOf(RegistryAcls.of("User:statusreg", "statusreg-sec"));
    assertThat(readmeAcls("User:statusreg", README_APP))
        .containsExactlyInAnyOrderElementsOf(RegistryAcls.of("User:statusreg", README_APP));
  }

  @Test
  void theReadmeTableGrantsWhatTheStartUpCheckChecksOnTheRegistrysTopics() throws Exception {
    Map<String, Set<AclOperation>> literalTopics = new LinkedHashMap<>();
    for (AclBinding b : readmeAcls("User:statusreg", README_APP)) {
      if (b.pattern().resourceType() == ResourceType.TOPIC
          && b.pattern().patternType() == PatternType.LITERAL) {
        literalTopics
            .computeIfAbsent(b.pattern().name(), unused -> EnumSet.noneOf(AclOperation.class))
            .add(b.entry().operation());
      }
    }
    assertThat(literalTopics).isEqualTo(KafkaAccessCheck.topicOperations());
  }

  @Test
  void theReadmeKafkaAclsCommandsGrantTheTable() throws Exception {
    // every resource of the table appears in the kafka-acls.sh lines below it
    String text = Files.readString(Path.of("..", "README.md"));
    String section = text.substring(text.indexOf("\n### Kafka ACLs\n"));
    section = section.substring(0, section.indexOf("\n### ", 1));
    for (AclBinding b : readmeAcls("User:statusreg", README_APP)) {
      String flag =
          switch (b.pattern().resourceType()) {
            case TOPIC -> "--topic " + b.pattern().name();
            case GROUP -> "--group " + b.pattern().name();
            case TRANSACTIONAL_ID -> "--transactional-id " + b.pattern().name();
            default -> throw new AssertionError(b);
          };
      String op = b.entry().operation().name();
      String operation = "--operation " + op.charAt(0) + op.substring(1).toLowerCase(Locale.ROOT);
      assertThat(
              section
                  .replace("\\\n", " ")
                  .lines()
                  .filter(l -> l.contains("kafka-acls.sh"))
                  .map(l -> l.replaceAll("\\s+", " "))
                  .filter(l -> l.contains(" " + flag + " ") || l.endsWith(" " + flag))
                  .filter(l -> l.contains(operation))
                  .filter(
                      l ->
                          (b.pattern().patternType() == PatternType.PREFIXED)
                              == l.contains("--resource-pattern-type prefixed")))
          .as("a kafka-acls.sh line granting %s %s", operation, flag)
          .isNotEmpty();
    }
  }
}
