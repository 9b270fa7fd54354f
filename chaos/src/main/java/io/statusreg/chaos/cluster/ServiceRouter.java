package io.statusreg.chaos.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * What a Kubernetes Service does for the load: routes each request to a random ready endpoint.
 * Readiness follows a probe with Kubernetes' defaults: {@code GET /health/ready} with a 1 s
 * timeout, an endpoint joins after one success and leaves after three failures in a row ({@code
 * failureThreshold: 3}); probes of all instances run in parallel every {@code period}. A pod being
 * deleted leaves the endpoints at once ({@link #drain}), as the endpoints controller removes a
 * terminating pod before its preStop hook ends; a killed pod stays until its probes fail.
 */
public final class ServiceRouter implements AutoCloseable {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
  private static final int FAILURE_THRESHOLD = 3;

  private final Supplier<List<RegistryInstance>> instances;
  private final Duration period;
  private final Set<RegistryInstance> draining = ConcurrentHashMap.newKeySet();
  private final Set<RegistryInstance> ready = ConcurrentHashMap.newKeySet();
  private final Map<RegistryInstance, Integer> failures = new ConcurrentHashMap<>();
  private volatile List<RegistryInstance> endpoints = List.of();
  private final Thread prober;
  private volatile boolean closed;

  public ServiceRouter(Supplier<List<RegistryInstance>> instances, Duration period) {
    this.instances = instances;
    this.period = period;
    this.prober = Thread.ofPlatform().daemon().name("service-router").unstarted(this::probeLoop);
  }

  public ServiceRouter start() {
    probeOnce();
    prober.start();
    return this;
  }

  private void probeLoop() {
    while (!closed) {
      probeOnce();
      try {
        Thread.sleep(period.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void probeOnce() {
    List<RegistryInstance> all = instances.get();
    List<Thread> probes = new ArrayList<>();
    for (RegistryInstance i : all) {
      probes.add(Thread.ofVirtual().start(() -> probe(i)));
    }
    for (Thread t : probes) {
      try {
        t.join(PROBE_TIMEOUT.toMillis() + 1_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    ready.retainAll(all); // stopped instances are no endpoints
    publish();
  }

  private void probe(RegistryInstance i) {
    if (i.ready(PROBE_TIMEOUT)) {
      failures.put(i, 0);
      ready.add(i);
    } else if (failures.merge(i, 1, Integer::sum) >= FAILURE_THRESHOLD || !i.isAlive()) {
      ready.remove(i);
    }
  }

  private void publish() {
    List<RegistryInstance> now = new ArrayList<>();
    for (RegistryInstance i : instances.get()) {
      if (ready.contains(i) && !draining.contains(i)) {
        now.add(i);
      }
    }
    endpoints = List.copyOf(now);
  }

  /** A random ready endpoint, if there is one. */
  public Optional<RegistryInstance> pick() {
    List<RegistryInstance> now = endpoints;
    if (now.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(now.get(ThreadLocalRandom.current().nextInt(now.size())));
  }

  public List<RegistryInstance> endpoints() {
    return endpoints;
  }

  /** Takes an instance out of the endpoints now (its pod is terminating). */
  public void drain(RegistryInstance instance) {
    draining.add(instance);
    ready.remove(instance);
    List<RegistryInstance> copy = new ArrayList<>(endpoints);
    copy.remove(instance);
    endpoints = List.copyOf(copy);
  }

  /** Lets a restarted instance back in once its readiness probe passes. */
  public void undrain(RegistryInstance instance) {
    draining.remove(instance);
  }

  /** Waits until {@code instance} is among the endpoints (its probe passed), bounded. */
  public boolean awaitEndpoint(RegistryInstance instance, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (endpoints.contains(instance)) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    prober.interrupt();
  }
}
