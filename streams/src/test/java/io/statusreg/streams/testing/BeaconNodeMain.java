package io.statusreg.streams.testing;

import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A static member with a membership beacon, in a child JVM: starts on the given broker, prints
 * {@code READY} once it is ready, then runs until the parent kills it.
 *
 * <p>Arguments: bootstrap servers, state dir, application id, instance id, list name (unused),
 * beacon port, standby replicas.
 */
public final class BeaconNodeMain {
  private BeaconNodeMain() {}

  /** A node of the beacon tests: 4 partitions, a 60 s session, so only a removal is quick. */
  public static Map<String, String> rawSettings(
      String bootstrap, String stateDir, String applicationId, String instanceId, int beaconPort) {
    Map<String, String> raw =
        RegistryHarness.nodeSettings(bootstrap, applicationId, Path.of(stateDir), 4);
    raw.put("instance.id", instanceId);
    raw.put("application.server", "127.0.0.1:" + beaconPort);
    raw.put("session.timeout.ms", "60000");
    raw.put("num.standby.replicas", "1");
    raw.put("leave.group.on.stop", "true");
    return raw;
  }

  public static void main(String[] args) throws Exception {
    StreamsSettings s =
        RegistryHarness.settings(
            rawSettings(args[0], args[1], args[2], args[3], Integer.parseInt(args[5])));
    RegistryNode node = RegistryNode.start(s, new TestSigner(6), Clock.systemUTC());
    Await.until("node ready", Duration.ofSeconds(120), node::isReady);
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
