package io.statusreg.chaos.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a registry instance process is launched: {@code java <jvmOptions> -cp <classpath> <mainClass>
 * <arguments>} with {@code environment} added to the harness's own. The seam between the harness
 * and the registry: the harness knows nothing of the instance but this command line, its {@code
 * STATUSREG_*} settings and its HTTP routes.
 */
public record InstanceLaunch(
    Path java,
    String classpath,
    List<String> jvmOptions,
    String mainClass,
    List<String> arguments,
    Map<String, String> environment) {

  /** The registry's entry point and subcommand: {@code io.statusreg.app.Main serve}. */
  public static final String APP_MAIN = "io.statusreg.app.Main";

  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(
          "-Xms64m",
          "-Xmx384m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:+ExitOnOutOfMemoryError",
          "--enable-native-access=ALL-UNNAMED");

  public InstanceLaunch {
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalArgumentException("an instance process needs a classpath");
    }
    jvmOptions = List.copyOf(jvmOptions);
    arguments = List.copyOf(arguments);
    environment = Map.copyOf(environment);
  }

  /** {@code io.statusreg.app.Main serve} on this JVM's java binary and classpath. */
  public static InstanceLaunch serveFromThisJvm(Map<String, String> environment) {
    return new InstanceLaunch(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        System.getProperty("java.class.path"),
        DEFAULT_JVM_OPTIONS,
        APP_MAIN,
        List.of("serve"),
        environment);
  }
}
