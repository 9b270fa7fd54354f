package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's "Trying it" commands verbatim against a fresh {@code ./statusreg dev}, the way
 * a new user would: from a folder that looks like the checkout (every entry of the checkout linked
 * into a temporary folder, so that dev's {@code data/} is fresh and the developer's own is never
 * touched). The only difference from the README is {@code --port 0}, so that the test never
 * collides with a dev already running on 8080; the commands read the port from {@code
 * data/http-url}, as the README says.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ReadmeCommandsIT {
  private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern BLOCK =
      Pattern.compile(
          "<!-- readme-commands: begin -->(.*?)<!-- readme-commands: end -->", Pattern.DOTALL);
  private static final Pattern SECTION =
      Pattern.compile("@@begin (\\d+)\\n(.*?)\\n@@rc \\1 (\\d+)\\n", Pattern.DOTALL);

  @TempDir Path tmp;

  @Test
  void theReadmesCommandsRunVerbatimAgainstAFreshDev() throws Exception {
    List<String> commands = readmeCommands();
    assertThat(commands).as("the README's commands").hasSizeGreaterThan(8);
    Path view = checkoutView();
    Process dev = startDev(view);
    try {
      String base = awaitReady(view, dev);
      assertThat(base).startsWith("http://localhost:");
      assertThat(devLog())
          .as("the bearer token stays in data/dev-token, out of dev's output")
          .doesNotContain(Files.readString(view.resolve("data/dev-token")).strip());

      Map<String, Result> results = runInOneShell(view, commands);

      for (Map.Entry<String, Result> r : results.entrySet()) {
        assertThat(r.getValue().code()).as(r.getKey() + "\n" + r.getValue().out()).isZero();
      }
      assertThat(output(results, "echo \"$ALLOCATION\""))
          .contains("\"uri\":\"" + base + "/statuslists/demo/")
          .contains("\"indexes\"");
      Matcher list =
          Pattern.compile("/statuslists/demo/([A-Za-z0-9_-]+)\"")
              .matcher(output(results, "echo \"$ALLOCATION\""));
      assertThat(list.find()).as("the allocation names its list").isTrue();
      assertThat(output(results, "-X PUT"))
          .as("the status change is accepted")
          .doesNotContain("\"title\"")
          .contains("\"event_ids\"");
      assertThat(output(results, "curl -s $BASE/statuslists/demo/$LIST ").strip())
          .matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
      assertThat(output(results, "statuslist+cwt")).startsWith("00000000:");
      // HAIP: the served token's x5c is one leaf issued by dev's CA (data/dev-ca.pem), and the
      // leaf's key verifies the token.
      com.nimbusds.jwt.SignedJWT served =
          com.nimbusds.jwt.SignedJWT.parse(
              output(results, "curl -s $BASE/statuslists/demo/$LIST ").strip());
      assertThat(served.getHeader().getX509CertChain()).as("x5c of the served token").hasSize(1);
      java.security.cert.CertificateFactory x509 =
          java.security.cert.CertificateFactory.getInstance("X.509");
      java.security.cert.X509Certificate leaf =
          (java.security.cert.X509Certificate)
              x509.generateCertificate(
                  new java.io.ByteArrayInputStream(
                      served.getHeader().getX509CertChain().getFirst().decode()));
      try (var in = Files.newInputStream(view.resolve("data/dev-ca.pem"))) {
        leaf.verify(x509.generateCertificate(in).getPublicKey());
      }
      assertThat(leaf.getBasicConstraints()).as("the leaf is not a CA").isEqualTo(-1);
      assertThat(
              ((java.util.Map<?, ?>) served.getJWTClaimsSet().getClaim("status_list"))
                  .get("aggregation_uri"))
          .as("dev turns aggregation on")
          .isEqualTo(base + "/statuslists/demo");
      assertThat(
              served.verify(
                  new com.nimbusds.jose.crypto.ECDSAVerifier(
                      (java.security.interfaces.ECPublicKey) leaf.getPublicKey())))
          .as("the leaf's key signed the token")
          .isTrue();
      assertThat(output(results, "topics verify")).contains("every topic matches the catalogue");
      assertThat(output(results, "./statusreg audit")).contains("no findings");
      assertThat(output(results, "analytics query busiest_lists"))
          .as("the revocation reached ClickHouse")
          .contains("demo/" + list.group(1));
    } finally {
      stop(dev);
    }
  }

  record Result(int code, String out) {}

  /** The README's block, as logical commands (continuation lines joined, comments kept). */
  static List<String> readmeCommands() throws IOException {
    Matcher m = BLOCK.matcher(Files.readString(CHECKOUT.resolve("README.md")));
    assertThat(m.find()).as("the README's readme-commands block").isTrue();
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : m.group(1).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      assertThat(line).as("an indented code line").startsWith("    ");
      current.append(line.substring(4)).append('\n');
      if (!line.endsWith("\\")) {
        out.add(current.toString().stripTrailing());
        current.setLength(0);
      }
    }
    assertThat(current).as("no dangling continuation").isEmpty();
    return out;
  }

  /** A folder whose entries link to the checkout's, without {@code data/}. */
  private Path checkoutView() throws IOException {
    Path view = Files.createDirectories(tmp.resolve("checkout"));
    try (Stream<Path> entries = Files.list(CHECKOUT)) {
      for (Path e : entries.toList()) {
        String name = e.getFileName().toString();
        if (!name.equals("data") && !name.equals(".git")) {
          Files.createSymbolicLink(view.resolve(name), e);
        }
      }
    }
    return view;
  }

  private static ProcessBuilder inView(Path view, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(view.toFile());
    pb.environment().put("STATUSREG_SKIP_BUILD", "1"); // the build that runs this test built it
    pb.environment().put("STATUSREG_JAVA_OPTS", "-Xmx512m");
    pb.environment().keySet().removeIf(k -> k.startsWith("STATUSREG_") && !isOurs(k));
    return pb;
  }

  private static boolean isOurs(String name) {
    return name.equals("STATUSREG_SKIP_BUILD")
        || name.equals("STATUSREG_JAVA_OPTS")
        || name.equals("STATUSREG_CHDB_LIB")
        || name.equals("STATUSREG_CACHE");
  }

  private Process startDev(Path view) throws IOException {
    ProcessBuilder pb = inView(view, "bash", "./statusreg", "dev", "--port", "0");
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("dev.log").toFile());
    Process p = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    return p;
  }

  private String awaitReady(Path view, Process dev) throws Exception {
    Path urlFile = view.resolve("data/http-url");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(dev.isAlive()).as("dev is running; its log:\n" + devLog()).isTrue();
      if (Files.isRegularFile(urlFile)) {
        String base = Files.readString(urlFile).strip();
        try {
          HttpResponse<Void> ready =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (ready.statusCode() == 200 && devLog().contains("analytics:")) {
            return base;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("dev did not get ready; its log:\n" + devLog());
  }

  /** Runs every command in one bash, in order (variables carry over), each with its exit code. */
  private Map<String, Result> runInOneShell(Path view, List<String> commands) throws Exception {
    StringBuilder script = new StringBuilder();
    for (int i = 0; i < commands.size(); i++) {
      script.append("printf '\\n@@begin ").append(i).append("\\n'\n");
      script.append(commands.get(i)).append('\n');
      script.append("printf '\\n@@rc ").append(i).append(" %d\\n' $?\n");
    }
    Path file = tmp.resolve("readme-commands.sh");
    Files.writeString(file, script.toString());
    ProcessBuilder pb = inView(view, "bash", file.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("the README's commands finish").isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    Map<String, Result> results = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(text);
    while (m.find()) {
      int i = Integer.parseInt(m.group(1));
      results.put(commands.get(i), new Result(Integer.parseInt(m.group(3)), m.group(2)));
    }
    assertThat(results).as("every command ran:\n" + text).hasSize(commands.size());
    return results;
  }

  private static String output(Map<String, Result> results, String commandPart) {
    return results.entrySet().stream()
        .filter(e -> e.getKey().contains(commandPart))
        .map(e -> e.getValue().out())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no README command with " + commandPart));
  }

  private String devLog() {
    try {
      return Files.readString(tmp.resolve("dev.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void stop(Process dev) throws InterruptedException {
    dev.destroy();
    if (!dev.waitFor(60, TimeUnit.SECONDS)) {
      dev.destroyForcibly();
      dev.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
