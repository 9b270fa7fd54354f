package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.streams.internal.MembershipBeacon.Member;
import io.statusreg.streams.internal.MembershipBeacon.Outcome;
import io.statusreg.streams.internal.MembershipBeacon.Probe;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The beacon and its probe over real loopback sockets. */
class MembershipBeaconTest {
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @Test
  void anOpenBeaconNamesItsMemberAndAClosedOneRefuses() {
    List<String> ids = new CopyOnWriteArrayList<>();
    MembershipBeacon beacon = MembershipBeacon.open(0, "registry-2", 3, () -> ids);
    int port = beacon.port();
    try {
      Probe first = MembershipBeacon.probe("127.0.0.1", port, TIMEOUT);
      assertThat(first.outcome()).isEqualTo(Outcome.ALIVE);
      assertThat(first.member()).contains(new Member("registry-2", 3, List.of()));
      // Streams makes its producers after the beacon opened: each answer names the current ones.
      ids.add("statusreg-6f0c0c9e-8f4b-4a63-9d52-0b1f7d3c2a11-1");
      ids.add("statusreg-6f0c0c9e-8f4b-4a63-9d52-0b1f7d3c2a11-2");
      for (int i = 0; i < 3; i++) { // every connection gets the line, not only the first
        Probe p = MembershipBeacon.probe("127.0.0.1", port, TIMEOUT);
        assertThat(p.outcome()).isEqualTo(Outcome.ALIVE);
        assertThat(p.member()).contains(new Member("registry-2", 3, List.copyOf(ids)));
      }
    } finally {
      beacon.close();
    }
    assertThat(MembershipBeacon.probe("127.0.0.1", port, TIMEOUT).outcome())
        .isEqualTo(Outcome.REFUSED);
  }

  @Test
  void aListenerThatNeverAnswersProvesNothing() throws Exception {
    // A process that hangs (a long pause, SIGSTOP): the kernel accepts, nothing is written.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Probe p = MembershipBeacon.probe("127.0.0.1", silent.getLocalPort(), Duration.ofMillis(200));
      assertThat(p.outcome()).isEqualTo(Outcome.UNKNOWN);
      assertThat(p.member()).isEmpty();
    }
  }

  @Test
  void somethingElseOnThePortProvesNothing() throws Exception {
    try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CountDownLatch served = new CountDownLatch(1);
      Thread t =
          new Thread(
              () -> {
                try (Socket c = other.accept()) {
                  OutputStream out = c.getOutputStream();
                  out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  served.countDown();
                } catch (Exception e) {
                  // the test fails on the assertion below
                }
              });
      t.start();
      Probe p = MembershipBeacon.probe("127.0.0.1", other.getLocalPort(), TIMEOUT);
      assertThat(served.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(p.outcome()).isEqualTo(Outcome.UNKNOWN);
      t.join(5_000);
    }
  }

  @Test
  void anUnknownHostProvesNothing() {
    assertThat(MembershipBeacon.probe("no-such-host.invalid", 8079, TIMEOUT).outcome())
        .isEqualTo(Outcome.UNKNOWN);
  }

  @Test
  void onlyAWellFormedLineNamesAMember() {
    assertThat(MembershipBeacon.parse("statusreg-member 1 registry-0 1 -\n").member())
        .contains(new Member("registry-0", 1, List.of()));
    assertThat(MembershipBeacon.parse("statusreg-member 1 registry-0 2 app-x-1,app-x-2\n").member())
        .contains(new Member("registry-0", 2, List.of("app-x-1", "app-x-2")));
    for (String bad :
        new String[] {
          "statusreg-member 1 registry-0 1 -", // no newline: cut short
          "statusreg-member 2 registry-0 1 -\n", // a version this code does not know
          "statusreg-member 1 registry-0 -\n",
          "statusreg-member 1 registry 0 1 -\n",
          "statusreg-member 1 registry-0 0 -\n",
          "statusreg-member 1 reg/istry 1 -\n",
          "statusreg-member 1 registry-0 1\n",
          "statusreg-member 1 registry-0 1 a,,b\n",
          "statusreg-member 1 registry-0 1 a;b\n",
          "statusreg-member 1 registry-0 1 - extra\n",
          "other 1 registry-0 1 -\n",
          ""
        }) {
      assertThat(MembershipBeacon.parse(bad)).as(bad).isEqualTo(Probe.UNKNOWN);
      assertThat(MembershipBeacon.parse(bad).member()).isEqualTo(Optional.empty());
    }
  }

  @Test
  void aBusyPortIsNamedInTheError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(
              () -> MembershipBeacon.open(taken.getLocalPort(), "registry-0", 1, List::of))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + taken.getLocalPort())
          .hasMessageContaining("application.server");
    }
  }
}
