package io.statusreg.streams.testing;

import io.statusreg.streams.StreamsSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A registry node's main class ({@link CrashingNodeMain}, {@link AckWindowNodeMain}) in a child JVM
 * on the test's class path, for tests that kill it hard: its arguments are the node's bootstrap
 * servers, state directory, application id and instance id, and a list name; its standard error
 * goes to a file, each line of its standard output to {@code onLine}.
 */
public final class ChildNode {
  private ChildNode() {}

  public static Process start(
      Class<?> main, StreamsSettings s, String listName, Path stderr, Consumer<String> onLine)
      throws IOException {
    return start(main, s, listName, List.of(), stderr, onLine);
  }

  /** As above, with more arguments after the list name. */
  public static Process start(
      Class<?> main,
      StreamsSettings s,
      String listName,
      List<String> more,
      Path stderr,
      Consumer<String> onLine)
      throws IOException {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName(),
            s.bootstrapServers(),
            s.stateDir().toString(),
            s.applicationId(),
            s.instanceId().orElseThrow(),
            listName));
    cmd.addAll(more);
    Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    CompletableFuture.runAsync(
        () -> {
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
              onLine.accept(line);
            }
          } catch (IOException e) {
            // the child died
          }
        });
    return p;
  }
}
