package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The production logback.xml: text or JSON lines, the audit trail on its own stream. */
class LogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** As at start-up of serve: statusreg's logback.xml, with the format of the environment. */
  @BeforeEach
  void startWithTheProductionConfiguration() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormat.class.getResource("/logback.xml"));
  }

  @AfterEach
  void backToText() {
    LogFormat.apply(Settings.of(Map.of("log.format", "text")));
  }

  private record Captured(String out, String err) {}

  private static Captured logWith(String format) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      LogFormat.apply(Settings.of(Map.of("log.format", format)));
      Logger app = LoggerFactory.getLogger("io.statusreg.app.Example");
      MDC.put("request_id", "r-1");
      try {
        app.info("started on port {}", 8080);
        app.error("it \"failed\"", new IllegalStateException("boom"));
      } finally {
        MDC.remove("request_id");
      }
      LoggerFactory.getLogger("statusreg.audit").info("status_change list=demo/l1 index=7");
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Captured(o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  @Test
  void jsonIsOneObjectPerLineWithTimeLevelLoggerThreadMessageMdcAndException() throws Exception {
    Captured c = logWith("json");
    List<String> lines = c.out().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode info = JSON.readTree(lines.get(0));
    assertThat(info.get("level").asText()).isEqualTo("INFO");
    assertThat(info.get("loggerName").asText()).isEqualTo("io.statusreg.app.Example");
    assertThat(info.get("threadName").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(info.get("formattedMessage").asText()).isEqualTo("started on port 8080");
    assertThat(info.get("timestamp").asLong()).isPositive();
    assertThat(info.get("mdc").get("request_id").asText()).isEqualTo("r-1");
    JsonNode error = JSON.readTree(lines.get(1));
    assertThat(error.get("formattedMessage").asText()).isEqualTo("it \"failed\"");
    assertThat(error.get("throwable").get("className").asText())
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(error.get("throwable").get("message").asText()).isEqualTo("boom");
    assertThat(c.out()).doesNotContain("status_change");
    List<String> audit = c.err().lines().toList();
    assertThat(audit).hasSize(1);
    JsonNode a = JSON.readTree(audit.getFirst());
    assertThat(a.get("loggerName").asText()).isEqualTo("statusreg.audit");
    assertThat(a.get("formattedMessage").asText()).isEqualTo("status_change list=demo/l1 index=7");
  }

  @Test
  void textKeepsTheAuditTrailOnItsOwnStreamToo() {
    Captured c = logWith("text");
    assertThat(c.out()).contains("INFO  [", "started on port 8080").doesNotContain("AUDIT");
    assertThat(c.out().trim()).doesNotStartWith("{");
    assertThat(c.err().lines().toList())
        .singleElement()
        .asString()
        .contains(" AUDIT status_change list=demo/l1 index=7");
  }

  @Test
  void theFormatTheJvmStartedWithIsNotAppliedAgain() throws Exception {
    // as at start-up: logback.xml alone, with the format of the environment
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormat.class.getResource("/logback.xml"));
    String started = System.getenv().getOrDefault(LogFormat.VARIABLE, "text");
    Appender<?> before = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OUT_" + started);
    assertThat(before).isNotNull();

    LogFormat.apply(Settings.of(Map.of("log.format", started)));

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OUT_" + started))
        .as("the same appender: logback was not reset and reconfigured")
        .isSameAs(before);
  }

  @Test
  void anOperatorsOwnConfigurationIsLeftAlone() throws Exception {
    // -Dlogback.configurationFile=...: a file without statusreg's STATUSREG_LOG_FORMAT property
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(
        new java.io.ByteArrayInputStream(
            ("<configuration><appender name=\"OWN\" class=\"ch.qos.logback.core.ConsoleAppender\">"
                    + "<encoder><pattern>%msg%n</pattern></encoder></appender>"
                    + "<logger name=\"org.apache.kafka.clients.consumer.internals.ConsumerCoordinator\""
                    + " level=\"INFO\"/><root level=\"WARN\"><appender-ref ref=\"OWN\"/></root>"
                    + "</configuration>")
                .getBytes(StandardCharsets.UTF_8)));
    Appender<?> own = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OWN");
    assertThat(own).isNotNull();

    LogFormat.apply(Settings.of(Map.of("log.format", "json")));
    LogFormat.apply(Settings.of(Map.of("log.format", "text")));

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OWN")).isSameAs(own);
    assertThat(
            context
                .getLogger("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator")
                .getLevel())
        .hasToString("INFO");
  }

  @Test
  void anUnknownFormatIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> LogFormat.apply(Settings.of(Map.of("log.format", "xml"))))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("log.format")
        .hasMessageContaining("STATUSREG_LOG_FORMAT");
  }
}
