package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the checkout's {@code ./mvnw} with a {@code $HOME} that differs from the JVM's {@code
 * user.home}, as containers and CI systems set it. Nothing is downloaded: the "Maven on the
 * machine" is a stub that, like {@code mvn dependency:get}, writes the distribution into the local
 * repository it is given, or into {@code user.home}'s when it is given none; the distribution is a
 * stub too, pinned in a copy of the wrapper's properties with its own SHA-512.
 */
class MavenWrapperTest {
  private static final String VERSION = "0.0.0-wrapper-test";

  @TempDir Path tmp;

  @Test
  void theWrapperFetchesIntoTheRepositoryItLooksInWhenHomeIsNotUserHome() throws Exception {
    Path checkout = Path.of("").toAbsolutePath().getParent();
    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.createDirectories(project.resolve(".mvn/wrapper"));
    Files.createDirectories(project.resolve("scripts"));
    Files.copy(checkout.resolve("mvnw"), project.resolve("mvnw"));
    Files.copy(checkout.resolve("scripts/jdk.sh"), project.resolve("scripts/jdk.sh"));

    Path zip = tmp.resolve("apache-maven-" + VERSION + "-bin.zip");
    writeStubDistribution(zip);
    Files.writeString(
        project.resolve(".mvn/wrapper/maven-wrapper.properties"),
        "mavenVersion=" + VERSION + "\ndistributionSha512Sum=" + sha512(zip) + "\n");

    Path home = Files.createDirectories(tmp.resolve("home"));
    Path userHome = Files.createDirectories(tmp.resolve("user-home"));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path argsLog = tmp.resolve("mvn-args");
    executable(
        bin.resolve("mvn"),
        """
        #!/usr/bin/env bash
        # stands in for 'mvn dependency:get': writes where -Dmaven.repo.local says, else under
        # the JVM's user.home (which is not $HOME here)
        echo "$*" >> "$STUB_ARGS"
        repo="$STUB_USER_HOME/.m2/repository"
        for a in "$@"; do
          case "$a" in -Dmaven.repo.local=*) repo="${a#-Dmaven.repo.local=}" ;; esac
        done
        dir="$repo/org/apache/maven/apache-maven/$STUB_VERSION"
        mkdir -p "$dir" && cp "$STUB_ZIP" "$dir/apache-maven-$STUB_VERSION-bin.zip"
        """);

    ProcessBuilder pb = new ProcessBuilder("bash", project.resolve("mvnw").toString(), "-v");
    pb.directory(project.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("MAVEN_USER_HOME");
    env.remove("MAVEN_REPO_LOCAL");
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("STUB_ARGS", argsLog.toString());
    env.put("STUB_USER_HOME", userHome.toString());
    env.put("STUB_VERSION", VERSION);
    env.put("STUB_ZIP", zip.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the wrapper finishes").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("stub maven -v");
    assertThat(Files.readString(argsLog))
        .contains("dependency:get")
        .contains("-Dmaven.repo.local=" + home.resolve(".m2/repository"));
    assertThat(home.resolve(".m2/wrapper/dists/apache-maven-" + VERSION + "/bin/mvn"))
        .isExecutable();
    assertThat(userHome.resolve(".m2")).as("nothing written under user.home").doesNotExist();
  }

  private static void writeStubDistribution(Path zip) throws IOException {
    URI uri = URI.create("jar:" + zip.toUri());
    try (FileSystem fs =
        FileSystems.newFileSystem(
            uri, Map.of("create", "true", "enablePosixFileAttributes", "true"))) {
      Path mvn = fs.getPath("apache-maven-" + VERSION, "bin", "mvn");
      Files.createDirectories(mvn.getParent());
      Files.writeString(mvn, "#!/bin/sh\necho \"stub maven $*\"\n");
      Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private static void executable(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String sha512(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-512");
    md.update(Files.readAllBytes(file));
    return HexFormat.of().formatHex(md.digest());
  }
}
