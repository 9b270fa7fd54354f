package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.statusreg.api.http.RequestIds;
import io.statusreg.api.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every routed request has an id: the caller's plain {@code X-Request-Id} or a new one, echoed, and
 * in the MDC of what is logged while it is handled (here: the audit line of a refused write).
 */
class RequestIdTest {
  static TestServer server;
  static ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @BeforeAll
  static void start() {
    server = new TestServer(Clock.systemUTC());
    audit.start();
    ((Logger) LoggerFactory.getLogger("statusreg.audit")).addAppender(audit);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("statusreg.audit")).detachAppender(audit);
    server.close();
  }

  @Test
  void aPlainCallerIdIsEchoedAndIsTheMdcOfTheRequestsLogLines() {
    HttpResponse<String> r = refusedWrite("mesh-7f3a.42");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue(RequestIds.HEADER)).hasValue("mesh-7f3a.42");
    assertThat(auditMdcOf("mesh-7f3a.42")).as("the refusal's audit line carries the id").isTrue();
  }

  @Test
  void anIdOutsideThePlainSetIsReplacedNeverEchoedNorLogged() {
    String forged = "x\"}, {\"admin\":true";
    HttpResponse<String> r = refusedWrite(forged);
    String id = r.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertThat(id).matches("[0-9a-f]{24}");
    assertThat(auditMdcOf(id)).isTrue();
    assertThat(audit.list)
        .noneMatch(e -> e.getMDCPropertyMap().values().stream().anyMatch(v -> v.contains("admin")));

    HttpResponse<String> none = refusedWrite(null);
    String other = none.headers().firstValue(RequestIds.HEADER).orElseThrow();
    assertThat(other).matches("[0-9a-f]{24}").isNotEqualTo(id);
    assertThat(refusedWrite("y".repeat(65)).headers().firstValue(RequestIds.HEADER).orElseThrow())
        .as("too long")
        .matches("[0-9a-f]{24}");
  }

  @Test
  void publicRoutesAnswerWithAnIdToo() {
    assertThat(server.get("/issuers/acme").headers().firstValue(RequestIds.HEADER)).isPresent();
  }

  private static HttpResponse<String> refusedWrite(String requestId) {
    HttpRequest.Builder b =
        server
            .request("/issuers/acme/lists")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"bits\":1,\"size\":1024}"));
    if (requestId != null) {
      b.header(RequestIds.HEADER, requestId);
    }
    return server.send(b.build());
  }

  private static boolean auditMdcOf(String id) {
    List<ILoggingEvent> events = List.copyOf(audit.list);
    return events.stream().anyMatch(e -> id.equals(e.getMDCPropertyMap().get(RequestIds.MDC_KEY)));
  }
}
