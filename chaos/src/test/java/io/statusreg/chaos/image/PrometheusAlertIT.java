package io.statusreg.chaos.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.statusreg.chaos.cluster.HarnessKeys;
import io.statusreg.kraft.KraftCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Prometheus (Debian's {@code prometheus}, the package scripts/test.sh installs for
 * promtool) scrapes a running statusreg (the image's runtime, {@link ImageRuntime}) on 127.0.0.1
 * with the shipped rules, and {@code StatusregPublicationStalled} fires when publication stops
 * while changes are still accepted, and not before.
 *
 * <p>Publication stops for a real reason: the only signing key's JWK {@code exp} passes with no
 * successor (a key that was not rotated in time), so every publication fails ("no signing key is
 * active") while the partition owner keeps accepting changes.
 *
 * <p>The rules are {@code ops/monitoring/alerts.yaml} with only every {@code for:} shortened to 10
 * s, and Prometheus evaluates every 2 s instead of the production interval; the expressions and
 * their 5-minute windows are the shipped ones, so the alert can only fire 5 minutes after the last
 * publication: the test takes about 8 minutes.
 */
@Tag("integration")
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class PrometheusAlertIT {
  private static final String ALERT = "StatusregPublicationStalled";
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration KEY_LIFETIME = Duration.ofSeconds(150);

  @Test
  void thePublicationAlertFiresWhenPublicationStopsWhileChangesAreAccepted() throws Exception {
    assertThat(PROMETHEUS)
        .as("Debian's prometheus package (scripts/test.sh installs it)")
        .isExecutable();
    Path work = Path.of("target", "prometheus-alert").toAbsolutePath();
    Process prometheus = null;
    try (ImageRuntime image = ImageRuntime.build(work);
        KraftCluster kafka =
            KraftCluster.builder()
                .nodes(1)
                .dataDir(work.resolveSibling("prometheus-alert-kafka"))
                .build()) {
      kafka.start();
      HarnessKeys keys = HarnessKeys.generate(work.resolve("keys"));
      Map<String, String> settings = image.podSettings(kafka, keys);
      ImageRuntime.createTopics(settings);
      Instant keyExpires =
          Instant.now().plus(KEY_LIFETIME).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      expireSigningKey(Path.of(settings.get("STATUSREG_SIGNING_KEYS_FILE")), keyExpires);

      int promPort = freePort();
      prometheus = startPrometheus(work, image.port, promPort);
      image.startServe(settings);
      image.awaitReady(Duration.ofMinutes(3));
      assertThat(Duration.between(Instant.now(), keyExpires))
          .as("time left for the phase with a usable key (start-up was slow)")
          .isGreaterThan(Duration.ofSeconds(30));

      String token = keys.bearerToken("alerting", Duration.ofHours(1));
      Changes changes = Changes.start(image, token);

      // Before: changes accepted and published; the alert stays silent.
      List<String> statesBefore = new ArrayList<>();
      while (Instant.now().isBefore(keyExpires.minusSeconds(8))) {
        changes.next();
        statesBefore.add(alertState(promPort));
        Thread.sleep(3000);
      }
      assertThat(
              query(
                  promPort,
                  "sum(increase(statusreg_api_status_changes_total{outcome=\"accepted\"}[5m])) > 0"))
          .as("Prometheus saw accepted changes")
          .isNotEmpty();
      assertThat(query(promPort, "sum(increase(statusreg_tokens_received_total[5m])) > 0"))
          .as("Prometheus saw publications")
          .isNotEmpty();
      assertThat(statesBefore)
          .as("the alert's state while publication works")
          .hasSizeGreaterThan(3)
          .containsOnly("inactive");

      // After: the key has retired; changes are still accepted, nothing is published.
      while (Instant.now().isBefore(keyExpires.plusSeconds(10))) {
        changes.next();
        Thread.sleep(3000);
      }
      double publishedAtStop = tokensReceived(image);
      Instant deadline = keyExpires.plus(Duration.ofMinutes(7));
      String state = alertState(promPort);
      while (!state.equals("firing") && Instant.now().isBefore(deadline)) {
        changes.next();
        Thread.sleep(5000);
        state = alertState(promPort);
      }
      assertThat(state)
          .as("%s after the key retired at %s\n%s", ALERT, keyExpires, image.logTail())
          .isEqualTo("firing");
      assertThat(changes.acceptedAfter(keyExpires))
          .as("changes accepted after the key retired")
          .isGreaterThan(20);
      assertThat(tokensReceived(image))
          .as("no publication since the key retired")
          .isEqualTo(publishedAtStop);
      // The publisher's one line on entering back-off names the failing step.
      assertThat(image.logText()).containsPattern("publishing list \\S+ failed \\(signing: ");
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      }
    }
  }

  /** Sets the JWK {@code exp} of every key in the signing key file: they retire then. */
  private static void expireSigningKey(Path file, Instant exp) throws Exception {
    JWKSet set = JWKSet.load(file.toFile());
    List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
    for (com.nimbusds.jose.jwk.JWK k : set.getKeys()) {
      keys.add(new ECKey.Builder(k.toECKey()).expirationTime(Date.from(exp)).build());
    }
    Files.writeString(file, new JWKSet(keys).toString(false), StandardCharsets.UTF_8);
  }

  /** alerts.yaml with only the for: durations shortened; everything else byte for byte. */
  static String rulesForTheTest(String shipped) {
    String rendered = shipped.replaceAll("(?m)^(\\s+for: )\\S+$", "$110s");
    String[] a = shipped.split("\n", -1);
    String[] b = rendered.split("\n", -1);
    assertThat(b).hasSameSizeAs(a);
    int changed = 0;
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i])) {
        assertThat(a[i].strip()).startsWith("for: ");
        changed++;
      }
    }
    assertThat(changed).as("for: lines shortened").isGreaterThan(5);
    return rendered;
  }

  private static Process startPrometheus(Path work, int target, int port) throws IOException {
    Path dir = Files.createDirectories(work.resolve("prometheus"));
    Path shipped = ImageRuntime.CHECKOUT.resolve("ops/monitoring/alerts.yaml");
    Files.writeString(dir.resolve("alerts.yaml"), rulesForTheTest(Files.readString(shipped)));
    Files.writeString(
        dir.resolve("prometheus.yml"),
        """
        # The test's Prometheus: scrape and evaluate every 2 s (production: 15-60 s).
        global:
          scrape_interval: 2s
          evaluation_interval: 2s
        rule_files: [alerts.yaml]
        scrape_configs:
          - job_name: statusreg
            metrics_path: /metrics
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(target));
    return new ProcessBuilder(
            PROMETHEUS.toString(),
            "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port,
            "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
  }

  /** The alert's state in Prometheus' /api/v1/alerts: inactive, pending or firing. */
  private static String alertState(int port) throws Exception {
    JsonNode body = api(port, "/api/v1/alerts");
    String state = "inactive";
    for (JsonNode a : body.at("/data/alerts")) {
      if (a.at("/labels/alertname").asText().equals(ALERT)) {
        state = a.path("state").asText();
      }
    }
    return state;
  }

  private static JsonNode query(int port, String promql) throws Exception {
    return api(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .at("/data/result");
  }

  private static JsonNode api(int port, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asText()).as(r.body()).isEqualTo("success");
        return body;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(500);
      }
    }
  }

  private static double tokensReceived(ImageRuntime image) throws Exception {
    Matcher m =
        Pattern.compile("(?m)^statusreg_tokens_received_total(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(image.get("/metrics").body());
    assertThat(m.find()).as("statusreg_tokens_received_total in /metrics").isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Status changes, one a call, each on a fresh index of one list: every one is accepted. */
  private static final class Changes {
    private final ImageRuntime image;
    private final String token;
    private final String list;
    private final List<Long> indexes = new ArrayList<>();
    private final List<Instant> accepted = new ArrayList<>();

    private Changes(ImageRuntime image, String token, String list) {
      this.image = image;
      this.token = token;
      this.list = list;
    }

    static Changes start(ImageRuntime image, String token) throws Exception {
      HttpResponse<String> created =
          image.send("POST", "/issuers/alerting/lists", token, "{\"bits\":1,\"size\":4096}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      Matcher uri =
          Pattern.compile("/statuslists/alerting/([A-Za-z0-9_-]+)").matcher(created.body());
      assertThat(uri.find()).as(created.body()).isTrue();
      Changes c = new Changes(image, token, uri.group(1));
      HttpResponse<String> allocated =
          image.send(
              "POST",
              "/issuers/alerting/lists/" + c.list + "/allocations",
              token,
              "{\"count\":400}");
      assertThat(allocated.statusCode()).as(allocated.body()).isIn(200, 201);
      Matcher idx = Pattern.compile("\"indexes\":\\s*\\[([0-9,\\s]+)\\]").matcher(allocated.body());
      assertThat(idx.find()).as(allocated.body()).isTrue();
      for (String i : idx.group(1).split(",")) {
        c.indexes.add(Long.parseLong(i.strip()));
      }
      return c;
    }

    void next() throws Exception {
      long index = indexes.remove(0);
      HttpResponse<String> r =
          image.send(
              "PUT",
              "/issuers/alerting/lists/" + list + "/entries/" + index,
              token,
              "{\"status\":\"INVALID\"}");
      assertThat(r.statusCode()).as("change of %s: %s", index, r.body()).isIn(200, 202);
      accepted.add(Instant.now());
    }

    long acceptedAfter(Instant when) {
      return accepted.stream().filter(t -> t.isAfter(when)).count();
    }
  }
}
