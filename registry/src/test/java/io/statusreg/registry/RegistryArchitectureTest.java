package io.statusreg.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** The domain core does no I/O: it never sees a Kafka, Javalin, Jetty, JDBC or RocksDB type. */
class RegistryArchitectureTest {
  static final ArchRule CORE_HAS_NO_IO =
      noClasses()
          .that()
          .resideInAPackage("io.statusreg.registry..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..",
              "io.javalin..",
              "org.eclipse.jetty..",
              "java.sql..",
              "javax.sql..",
              "com.clickhouse..",
              "org.rocksdb..")
          .because("registry/ is the domain core and does no I/O (STYLE rule 1)");

  @Test
  void theRegistryCoreDependsOnNoIoLibrary() {
    JavaClasses core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.statusreg.registry");

    assertThat(core).as("the rule must see the core's classes").hasSizeGreaterThan(20);
    CORE_HAS_NO_IO.check(core);
  }

  @Test
  void theRuleCatchesAClassThatReachesForJdbc() {
    JavaClasses offender = new ClassFileImporter().importClasses(LeaksJdbc.class);

    EvaluationResult result = CORE_HAS_NO_IO.evaluate(offender);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("java.sql.Connection");
    assertThatThrownBy(() -> CORE_HAS_NO_IO.check(offender)).isInstanceOf(AssertionError.class);
  }

  /** A test-only class in the core's package that breaks the rule on purpose. */
  static final class LeaksJdbc {
    Connection connection;

    boolean open() throws java.sql.SQLException {
      return connection != null && !connection.isClosed();
    }
  }
}
