package io.statusreg.analytics;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The analytics sink and tools read the token record and its wire format from {@code common}: they
 * never need Kafka Streams, RocksDB or the registry node.
 */
class AnalyticsBoundariesTest {
  @Test
  void analyticsNeedsNeitherKafkaStreamsNorRocksDbNorTheNode() {
    JavaClasses main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.statusreg.analytics");
    assertThat(main).as("the rule must see the module's classes").hasSizeGreaterThan(10);

    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka.streams..", "org.rocksdb..", "io.statusreg.streams..")
        .check(main);
  }
}
