package io.statusreg.streams.testing;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decision;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A registry node in a child JVM whose commands are acknowledged inside a long-open transaction
 * ({@code commit.interval.ms} 9 s), for {@code AckBeforeCommitIT}: it creates a list, allocates
 * {@link #FIRST_ALLOCATION} indexes and waits until the list is published (a commit happened),
 * prints {@code READY}, then, well inside the next commit interval, allocates {@link
 * #WINDOW_ALLOCATION} more ({@code ALLOCATED i,j,...}), revokes {@link #REVOCATIONS} of the first
 * ones one by one ({@code ACK <idx> <event id>} per acknowledged revocation), prints {@code DONE}
 * and waits to be killed. It never closes the node.
 *
 * <p>Arguments: bootstrap servers, state dir, application id, instance id, list name.
 */
public final class AckWindowNodeMain {
  public static final int FIRST_ALLOCATION = 100;
  public static final int WINDOW_ALLOCATION = 10;
  public static final int REVOCATIONS = 20;

  private AckWindowNodeMain() {}

  public static StreamsSettings settings(
      String bootstrap, String stateDir, String applicationId, String instanceId) {
    Map<String, String> raw =
        CrashingNodeMain.rawSettings(bootstrap, stateDir, applicationId, instanceId);
    raw.put("commit.interval.ms", "9000");
    raw.put("command.timeout.ms", "30000");
    return StreamsSettings.from(Settings.of(raw));
  }

  public static void main(String[] args) throws Exception {
    StreamsSettings s = settings(args[0], args[1], args[2], args[3]);
    ListId list = ListId.of("acme", args[4]);
    Actor actor = Actor.issuer("ack-window");
    RegistryNode node = RegistryHarness.startReady(s, new TestSigner(6), Clock.systemUTC());
    RegistryHarness.accepted(
        RegistryHarness.submit(node.gateway(), RegistryHarness.create(list, 1, 10_000, 7, actor)));
    List<Long> first =
        RegistryHarness.accepted(
                RegistryHarness.submit(
                    node.gateway(), RegistryHarness.allocate(list, FIRST_ALLOCATION, actor)))
            .allocatedIndexes();
    Await.until(
        "list published", Duration.ofSeconds(60), () -> node.directory().latest(list).isPresent());
    System.out.println("READY");
    System.out.flush();
    List<Long> more =
        RegistryHarness.accepted(
                RegistryHarness.submit(
                    node.gateway(), RegistryHarness.allocate(list, WINDOW_ALLOCATION, actor)))
            .allocatedIndexes();
    System.out.println(
        "ALLOCATED " + more.stream().map(String::valueOf).collect(Collectors.joining(",")));
    for (int i = 0; i < REVOCATIONS; i++) {
      long idx = first.get(i);
      Outcome o = RegistryHarness.submit(node.gateway(), RegistryHarness.revoke(list, idx, actor));
      List<RegistryEvent> events = ((Decision.Accepted) o.decision()).events();
      System.out.println("ACK " + idx + " " + events.getFirst().id().value());
    }
    System.out.println("DONE");
    System.out.flush();
    Thread.sleep(Duration.ofMinutes(5));
  }
}
