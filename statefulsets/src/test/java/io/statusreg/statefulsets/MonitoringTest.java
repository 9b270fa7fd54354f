package io.statusreg.statefulsets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the Grafana dashboard in {@code ops/monitoring/}: checked and unit-tested by
 * Prometheus' own {@code promtool} (Debian's {@code prometheus} package, installed by {@code
 * scripts/test.sh}), every alert unit-tested and given a runbook line in the README, the dashboard
 * a valid Grafana JSON model whose panels query Prometheus.
 */
class MonitoringTest {
  private static final Path MONITORING = Path.of("..", "ops", "monitoring");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void promtoolChecksTheRules() throws Exception {
    assertThat(promtool("check", "rules", "alerts.yaml")).contains("SUCCESS");
  }

  @Test
  void promtoolUnitTestsPass() throws Exception {
    assertThat(promtool("test", "rules", "alerts-test.yaml")).contains("SUCCESS");
  }

  @Test
  void everyAlertIsUnitTestedAndHasARunbookLineInTheReadme() throws Exception {
    JsonNode rules = YAML.readTree(MONITORING.resolve("alerts.yaml").toFile());
    List<String> alerts = new ArrayList<>();
    rules
        .get("groups")
        .forEach(g -> g.get("rules").forEach(r -> alerts.add(r.get("alert").asText())));
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
    JsonNode tests = YAML.readTree(MONITORING.resolve("alerts-test.yaml").toFile());
    Set<String> firing = new HashSet<>();
    Set<String> silent = new HashSet<>();
    tests
        .get("tests")
        .forEach(
            t ->
                t.get("alert_rule_test")
                    .forEach(
                        a -> {
                          // promtool reads a missing exp_alerts as "no alert expected"
                          JsonNode expected = a.get("exp_alerts");
                          boolean fires = expected != null && !expected.isEmpty();
                          (fires ? firing : silent).add(a.get("alertname").asText());
                        }));
    // A case for a name that is no rule stays silent by construction and tests nothing: promtool
    // accepts it, so a renamed or removed alert would leave a test that can no longer fail.
    Set<String> tested = new HashSet<>(firing);
    tested.addAll(silent);
    assertThat(alerts).as("alerts of the test cases' alertname").containsAll(tested);
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    for (String alert : alerts) {
      assertThat(firing).as("a test where %s fires", alert).contains(alert);
      assertThat(silent).as("a test where %s stays silent", alert).contains(alert);
      assertThat(readme)
          .as("README runbook line for %s", alert)
          .contains(
              "<a id=\"runbook-"
                  + alert.toLowerCase(java.util.Locale.ROOT)
                  + "\"></a>`"
                  + alert
                  + "`");
    }
  }

  /**
   * An alert or panel on a metric the code no longer registers never fires and shows nothing. Every
   * {@code statusreg_*} name in the rules and the dashboard must be a metric name string of some
   * module's main code ({@code "statusreg.a.b"}), as Micrometer exports it: with a {@code _total}
   * (counter), a unit ({@code _seconds}, {@code _bytes}) and a timer's {@code _count}, {@code _sum}
   * or {@code _max} appended.
   */
  @Test
  void everyStatusregMetricOfTheAlertsAndTheDashboardIsOneTheCodeRegisters() throws Exception {
    Pattern literal = Pattern.compile("\"(statusreg\\.[a-z]+(?:\\.[a-z_]+)+)\"");
    Set<String> registered = new TreeSet<>();
    List<Path> sources;
    try (Stream<Path> modules = Files.list(Path.of(".."))) {
      sources =
          modules
              .map(module -> module.resolve("src/main/java"))
              .filter(Files::isDirectory)
              .toList();
    }
    for (Path root : sources) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = literal.matcher(Files.readString(f, StandardCharsets.UTF_8));
          while (m.find()) {
            registered.add(m.group(1).replace('.', '_'));
          }
        }
      }
    }
    assertThat(registered).contains("statusreg_http_requests", "statusreg_api_ready");
    Pattern used = Pattern.compile("statusreg_[a-z_]+");
    Set<String> names = new TreeSet<>();
    for (String file : List.of("alerts.yaml", "grafana-dashboard.json")) {
      Matcher m = used.matcher(Files.readString(MONITORING.resolve(file), StandardCharsets.UTF_8));
      while (m.find()) {
        names.add(m.group());
      }
    }
    assertThat(names).hasSizeGreaterThanOrEqualTo(10);
    for (String name : names) {
      String base = name.replaceFirst("_(count|sum|max|bucket)$", "");
      List<String> candidates =
          List.of(
              base,
              base.replaceFirst("_total$", ""),
              base.replaceFirst("_(seconds|bytes)$", ""),
              base.replaceFirst("_(seconds|bytes)_total$", ""));
      assertThat(candidates)
          .as("%s in ops/monitoring is a metric the code registers", name)
          .containsAnyElementsOf(registered);
    }
  }

  @Test
  void theDashboardIsAGrafanaModelWhosePanelsQueryPrometheus() throws Exception {
    JsonNode d = new ObjectMapper().readTree(MONITORING.resolve("grafana-dashboard.json").toFile());
    assertThat(d.get("uid").asText()).isEqualTo("statusreg-overview");
    assertThat(d.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    Set<Integer> ids = new HashSet<>();
    assertThat(d.get("panels")).hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode p : d.get("panels")) {
      assertThat(ids.add(p.get("id").asInt())).as("unique panel id").isTrue();
      assertThat(p.get("datasource").get("type").asText()).isEqualTo("prometheus");
      assertThat(p.get("gridPos").get("w").asInt()).isBetween(1, 24);
      assertThat(p.get("targets")).isNotEmpty();
      for (JsonNode t : p.get("targets")) {
        String expr = t.get("expr").asText();
        assertThat(expr).as(p.get("title").asText()).isNotBlank();
        assertThat(promtoolQuery(expr)).as("PromQL of %s", p.get("title").asText()).isTrue();
      }
    }
  }

  /** Whether promtool parses {@code expr} (through a throwaway rule file). */
  private static boolean promtoolQuery(String expr) throws Exception {
    Path dir = Files.createTempDirectory("statusreg-promql");
    try {
      Path rule = dir.resolve("q.yaml");
      Files.writeString(
          rule,
          YAML.writeValueAsString(
              java.util.Map.of(
                  "groups",
                  List.of(
                      java.util.Map.of(
                          "name",
                          "q",
                          "rules",
                          List.of(java.util.Map.of("record", "q:check", "expr", expr)))))));
      Process p =
          new ProcessBuilder("promtool", "check", "rules", rule.toString())
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } finally {
      Files.deleteIfExists(dir.resolve("q.yaml"));
      Files.deleteIfExists(dir);
    }
  }

  /**
   * What scripts/prereqs.sh (sourced by scripts/test.sh) reports missing on a PATH of stub commands
   * {@code present}, the Prometheus server at {@code prometheus} (a stub when {@code withServer}).
   */
  private static String missingPackages(List<String> present, boolean withServer) throws Exception {
    Path dir = Files.createTempDirectory("prereqs");
    try {
      for (String command : present) {
        Path stub = Files.writeString(dir.resolve(command), "#!/bin/sh\n");
        stub.toFile().setExecutable(true);
      }
      Path server = dir.resolve("server").resolve("prometheus");
      if (withServer) {
        Files.createDirectories(server.getParent());
        Files.writeString(server, "#!/bin/sh\n");
        server.toFile().setExecutable(true);
      }
      ProcessBuilder pb =
          new ProcessBuilder(
                  "/bin/bash", "-c", ". ../scripts/prereqs.sh && statusreg_missing_packages")
              .redirectErrorStream(true);
      pb.environment().put("PATH", dir.toString());
      pb.environment().put("STATUSREG_PROMETHEUS_BIN", server.toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      return out;
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void theTestScriptInstallsPrometheusWhenPromtoolOrTheServerIsMissing() throws Exception {
    List<String> others = List.of("softhsm2-util", "wrk", "node", "npm");
    List<String> all = List.of("promtool", "softhsm2-util", "wrk", "node", "npm");
    assertThat(missingPackages(all, true)).isEmpty();
    // PrometheusAlertIT needs /usr/bin/prometheus even where promtool is installed.
    assertThat(missingPackages(all, false)).isEqualTo("prometheus");
    assertThat(missingPackages(others, true)).isEqualTo("prometheus");
    assertThat(missingPackages(List.of("promtool"), true)).isEqualTo("softhsm2 wrk nodejs npm");
    // wrk runs WrkPutScriptTest and the benchmarks' load
    assertThat(missingPackages(List.of("promtool", "softhsm2-util", "node", "npm"), true))
        .isEqualTo("wrk");
  }

  private static String promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("promtool");
    cmd.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(MONITORING.toFile()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      throw new AssertionError(
          "promtool is missing: install Debian's prometheus package (scripts/test.sh does)", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(p.exitValue()).as("promtool %s: %s", String.join(" ", args), out).isZero();
    return out;
  }
}
