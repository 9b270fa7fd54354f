package io.statusreg.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The wire serdes sit below the rest of the module: {@code streams.serde} depends on the registry,
 * {@code common} and the command gateway's types, never on the node, the topology, the publisher or
 * the internals, so the two never import each other.
 */
class StreamsPackagesTest {
  static final ArchRule SERDE_IS_BELOW_THE_NODE =
      noClasses()
          .that()
          .resideInAPackage("io.statusreg.streams.serde..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.statusreg.streams",
              "io.statusreg.streams.internal..",
              "io.statusreg.streams.publication..")
          .because("streams and streams.serde must not import each other (one direction)");

  static final ArchRule GATEWAY_TYPES_NEED_NO_NODE =
      noClasses()
          .that()
          .resideInAPackage("io.statusreg.streams.gateway..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.statusreg.streams",
              "io.statusreg.streams.serde..",
              "io.statusreg.streams.internal..")
          .because("the command gateway's types are the bottom of the module");

  @Test
  void theSerdesAndTheGatewayTypesDependOnNothingAboveThem() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.statusreg.streams");

    assertThat(main.stream().filter(c -> c.getPackageName().endsWith(".serde")).count())
        .as("the rule must see the serdes")
        .isGreaterThan(5);
    SERDE_IS_BELOW_THE_NODE.check(main);
    GATEWAY_TYPES_NEED_NO_NODE.check(main);
  }

  @Test
  void theRuleCatchesASerdeThatReachesForTheNode() {
    JavaClasses offender =
        new ClassFileImporter().importClasses(io.statusreg.streams.serde.testing.LeaksNode.class);

    assertThat(SERDE_IS_BELOW_THE_NODE.evaluate(offender).hasViolation()).isTrue();
  }
}
