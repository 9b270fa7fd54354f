package io.statusreg.streams;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streams module's seams: the wire formats ({@code serde}) and the publisher ({@code
 * publication}) know nothing of Kafka Streams or of the topology's internals, so they can be read,
 * tested and replaced alone; and no other module reaches into {@code streams.internal}.
 */
class StreamsArchitectureTest {
  static final ArchRule SERDE_AND_PUBLICATION_ARE_PLAIN =
      noClasses()
          .that()
          .resideInAnyPackage("io.statusreg.streams.serde..", "io.statusreg.streams.publication..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka.streams..", "io.statusreg.streams.internal..", "org.rocksdb..")
          .because(
              "serde holds byte layouts and publication turns a state into a token; neither needs"
                  + " the topology");

  private static final Pattern INTERNAL_IMPORT =
      Pattern.compile("^import\\s+(static\\s+)?io\\.statusreg\\.streams\\.internal\\.", 8);

  @Test
  void serdeAndPublicationImportNoKafkaStreamsAndNoTopologyInternals() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.statusreg.streams.serde", "io.statusreg.streams.publication");

    assertThat(classes).as("the rule must see the packages' classes").hasSizeGreaterThan(10);
    SERDE_AND_PUBLICATION_ARE_PLAIN.check(classes);
  }

  @Test
  void theRuleCatchesAPublisherThatReachesForAStateStore() {
    EvaluationResult result =
        SERDE_AND_PUBLICATION_ARE_PLAIN.evaluate(
            new ClassFileImporter()
                .importClasses(io.statusreg.streams.publication.StoreReachingPublisher.class));

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString()).contains("KeyValueStore");
  }

  @Test
  void noModuleOutsideStreamsImportsStreamsInternal() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(root.resolve("streams/pom.xml")).as("run from the streams module").exists();
    List<Path> sources;
    try (Stream<Path> modules = Files.list(root)) {
      sources =
          modules
              .filter(m -> Files.isRegularFile(m.resolve("pom.xml")))
              .filter(m -> !m.getFileName().toString().equals("streams"))
              .flatMap(m -> javaFiles(m.resolve("src")))
              .toList();
    }
    assertThat(sources).as("the other modules' sources").hasSizeGreaterThan(50);

    List<String> offenders =
        sources.stream()
            .filter(StreamsArchitectureTest::importsInternal)
            .map(Path::toString)
            .toList();

    assertThat(offenders).isEmpty();
    assertThat(importsInternal("import io.statusreg.streams.internal.CommandProcessor;\n"))
        .as("the check itself")
        .isTrue();
  }

  private static Stream<Path> javaFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Stream.empty();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean importsInternal(Path file) {
    try {
      return importsInternal(Files.readString(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean importsInternal(String source) {
    return INTERNAL_IMPORT.matcher(source).find()
        || source.contains("io.statusreg.streams.internal.");
  }
}
