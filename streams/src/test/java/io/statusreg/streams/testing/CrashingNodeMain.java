package io.statusreg.streams.testing;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A registry node in a child JVM for crash tests: starts on the given broker and state directory,
 * creates a list, prints {@code READY} once the list is published, then keeps changing statuses
 * until the parent kills it (it never closes the node).
 *
 * <p>Arguments: bootstrap servers, state dir, application id, instance id, list name.
 */
public final class CrashingNodeMain {
  private CrashingNodeMain() {}

  public static StreamsSettings settings(
      String bootstrap, String stateDir, String applicationId, String instanceId) {
    return StreamsSettings.from(
        Settings.of(rawSettings(bootstrap, stateDir, applicationId, instanceId)));
  }

  /**
   * The raw settings of a crash-test node: a static member (instance id) with a 30 s session and a
   * 100 ms publish interval. Mutable: a crash test adds what it needs.
   */
  public static Map<String, String> rawSettings(
      String bootstrap, String stateDir, String applicationId, String instanceId) {
    Map<String, String> raw =
        RegistryHarness.nodeSettings(bootstrap, applicationId, Path.of(stateDir), 4);
    raw.put("instance.id", instanceId);
    raw.put("session.timeout.ms", "30000");
    raw.put("publish.interval.ms", "100");
    return raw;
  }

  public static void main(String[] args) throws Exception {
    StreamsSettings s = settings(args[0], args[1], args[2], args[3]);
    ListId list = ListId.of("acme", args[4]);
    Actor actor = Actor.issuer("crash");
    RegistryNode node = RegistryNode.start(s, new TestSigner(6), Clock.systemUTC());
    Await.until("node ready", Duration.ofSeconds(120), node::isReady);
    node.gateway()
        .submit(
            new RegistryCommand.CreateList(
                UUID.randomUUID(),
                list,
                1,
                10_000,
                Duration.ofMinutes(5),
                Duration.ofHours(1),
                Purpose.REVOCATION,
                new IndexPermutation.Key(1, 2),
                actor,
                Instant.now()))
        .get(60, TimeUnit.SECONDS);
    List<Long> idx =
        node.gateway()
            .submit(
                new RegistryCommand.AllocateIndexes(
                    UUID.randomUUID(), list, 1000, actor, Instant.now()))
            .get(60, TimeUnit.SECONDS)
            .allocatedIndexes();
    Await.until(
        "list published", Duration.ofSeconds(60), () -> node.directory().latest(list).isPresent());
    System.out.println("READY");
    System.out.flush();
    for (int i = 0; ; i++) {
      node.gateway()
          .submit(RegistryHarness.revoke(list, idx.get(i % idx.size()), actor))
          .get(60, TimeUnit.SECONDS);
      if (i % 20 == 0) {
        System.out.println("REVOKED " + (i + 1));
        System.out.flush();
      }
    }
  }
}
