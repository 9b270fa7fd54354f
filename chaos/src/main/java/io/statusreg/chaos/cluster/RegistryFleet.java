package io.statusreg.chaos.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry instances of a run, as a StatefulSet would hold them: slot {@code i} is always
 * {@code registry-i} with the same HTTP port, state directory, {@code application.server} and (with
 * static membership) {@code instance.id}, however often it is restarted.
 */
public final class RegistryFleet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryFleet.class);

  /** What every instance shares. {@code settings} are {@code STATUSREG_*} variables. */
  public record Config(
      Path root,
      boolean staticMembership,
      Map<String, String> settings,
      String classpath,
      List<String> jvmOptions,
      Duration stopGrace) {
    public Config {
      settings = Map.copyOf(settings);
      jvmOptions = List.copyOf(jvmOptions);
    }
  }

  private final Config config;
  private final List<RegistryInstance> slots = new ArrayList<>();

  public RegistryFleet(Config config) {
    this.config = config;
  }

  /** The instance of slot {@code i}, created (not started) on first use. */
  public synchronized RegistryInstance slot(int i) {
    while (slots.size() <= i) {
      int n = slots.size();
      String name = "registry-" + n;
      int port = freePort();
      int beacon = freePort();
      while (beacon == port) {
        beacon = freePort();
      }
      Path dir = config.root().resolve(name);
      slots.add(new RegistryInstance(name, port, dir, launchFor(name, port, beacon, dir)));
    }
    return slots.get(i);
  }

  public synchronized List<RegistryInstance> created() {
    return List.copyOf(slots);
  }

  public synchronized List<RegistryInstance> running() {
    return slots.stream().filter(RegistryInstance::isAlive).toList();
  }

  /** The {@code STATUSREG_*} environment of one instance. */
  public Map<String, String> environment(String name, int port, int beaconPort, Path dir) {
    Map<String, String> env = new HashMap<>(config.settings());
    env.put("STATUSREG_HTTP_HOST", "127.0.0.1");
    env.put("STATUSREG_HTTP_PORT", Integer.toString(port));
    // The port of application.server is the membership beacon's, not HTTP's (a pod's 8079).
    env.put("STATUSREG_APPLICATION_SERVER", "127.0.0.1:" + beaconPort);
    env.put("STATUSREG_STATE_DIR", dir.resolve("state").toString());
    if (config.staticMembership()) {
      env.put("STATUSREG_INSTANCE_ID", name);
    } else {
      env.remove("STATUSREG_INSTANCE_ID");
    }
    return env;
  }

  private InstanceLaunch launchFor(String name, int port, int beaconPort, Path dir) {
    Map<String, String> env = new HashMap<>();
    // Inherited STATUSREG_* variables would make a run depend on the shell: blank them all.
    System.getenv().keySet().stream()
        .filter(k -> k.startsWith("STATUSREG_"))
        .forEach(k -> env.put(k, ""));
    env.putAll(environment(name, port, beaconPort, dir));
    return new InstanceLaunch(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        config.classpath(),
        config.jvmOptions(),
        InstanceLaunch.APP_MAIN,
        List.of("serve"),
        env);
  }

  /** Starts slots {@code 0..n-1} together and waits until every one is ready. */
  public void startAll(int n, Duration timeout) {
    List<RegistryInstance> instances = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      instances.add(slot(i));
    }
    instances.forEach(RegistryInstance::start);
    List<CompletableFuture<Duration>> ready =
        instances.stream()
            .map(
                instance ->
                    CompletableFuture.supplyAsync(
                        () -> instance.awaitReady(timeout),
                        task -> Thread.ofVirtual().name("await-" + instance.name()).start(task)))
            .toList();
    try {
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the registry instances", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re
          ? re
          : new IllegalStateException("starting the registry instances", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("registry instances not ready within " + timeout, e);
    }
    log.info("{} registry instance(s) ready: {}", n, instances);
  }

  public Duration stopGrace() {
    return config.stopGrace();
  }

  /** SIGTERM to every running instance at once, SIGKILL after the grace period. */
  @Override
  public void close() {
    List<Thread> stops = new ArrayList<>();
    for (RegistryInstance instance : created()) {
      if (instance.isAlive()) {
        stops.add(Thread.ofPlatform().start(() -> instance.terminate(config.stopGrace())));
      }
    }
    for (Thread t : stops) {
      try {
        t.join(config.stopGrace().toMillis() + 20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    for (RegistryInstance instance : created()) {
      if (instance.isAlive()) {
        instance.kill();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("finding a free loopback port", e);
    }
  }
}
