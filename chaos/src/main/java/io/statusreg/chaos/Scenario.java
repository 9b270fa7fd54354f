package io.statusreg.chaos;

import java.time.Duration;
import java.util.Locale;

/**
 * The chaos scenarios, by number and name (issue 13's list, plus the dynamic-membership control).
 * Each says how many instances it starts with and the goal for write acknowledgement p99 and the
 * longest publication pause in every phase.
 */
public enum Scenario {
  ROLLING_RESTART(
      1,
      "rolling-restart",
      true,
      3,
      "SIGTERM each instance in turn, keep it away --pod-delay, restart it on the same identity"),
  SCALE_OUT(2, "scale-out", true, 3, "scale 3 -> 4, then 4 -> 6 instances under load"),
  SCALE_IN(
      3,
      "scale-in",
      true,
      4,
      "scale 4 -> 3 as the HPA does: SIGTERM to the highest ordinal, which never returns"),
  KILL_INSTANCE(4, "kill-instance", true, 3, "kill -9 one instance, restart it 5 s later"),
  NODE_LOSS(5, "node-loss", true, 3, "kill -9 one instance that never returns (a lost node)"),
  KILL_BROKER(
      6, "kill-broker", true, 3, "kill -9 the Kafka node leading statusreg.events-0, restart it"),
  VERSION_UPGRADE(
      7,
      "version-upgrade",
      true,
      3,
      "rolling update from the previous release (built from --previous) to this code"),
  ROLLING_RESTART_DYNAMIC(
      8,
      "rolling-restart-dynamic",
      false,
      3,
      "the rolling restart with dynamic membership (no instance id): the control");

  /** Goal for ack p99 and the longest publication pause in every phase. */
  public static final Duration GOAL = Duration.ofSeconds(2);

  /** The same goal when an instance is lost for good. */
  public static final Duration NODE_LOSS_GOAL = Duration.ofSeconds(30);

  private final int number;
  private final String id;
  private final boolean staticMembership;
  private final int instances;
  private final String description;

  Scenario(int number, String id, boolean staticMembership, int instances, String description) {
    this.number = number;
    this.id = id;
    this.staticMembership = staticMembership;
    this.instances = instances;
    this.description = description;
  }

  public int number() {
    return number;
  }

  public String id() {
    return id;
  }

  public boolean staticMembership() {
    return staticMembership;
  }

  /** Instances started before the load. */
  public int instances() {
    return instances;
  }

  public String description() {
    return description;
  }

  /**
   * Whether {@code --soak} can repeat the disruption: it ends with the instances it started with,
   * on the same code. A scale-out or scale-in, a lost node and an upgrade do not.
   */
  public boolean repeatable() {
    return switch (this) {
      case ROLLING_RESTART, ROLLING_RESTART_DYNAMIC, KILL_INSTANCE, KILL_BROKER -> true;
      case SCALE_OUT, SCALE_IN, NODE_LOSS, VERSION_UPGRADE -> false;
    };
  }

  /**
   * The p99 and pause goal of every phase of this scenario, as issue 13 sets them: {@link
   * #NODE_LOSS_GOAL} for the loss of an instance that never returns, {@link #GOAL} for every other
   * scenario, {@code kill-instance} (kill -9, back after 5 s) included. Nothing runs in a killed
   * process, so its lists wait until the coordinator expires its members ({@code
   * session.timeout.ms}, at least the broker's 6 s) or it is back and has restored its state: this
   * design misses the 2 s in {@code kill-instance}, and the report says so rather than judging it
   * by the looser bound.
   */
  public Duration goal() {
    return this == NODE_LOSS ? NODE_LOSS_GOAL : GOAL;
  }

  /** By number ({@code 1}) or name ({@code rolling-restart}). */
  public static Scenario parse(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    for (Scenario scenario : values()) {
      if (s.equals(scenario.id) || s.equals(Integer.toString(scenario.number))) {
        return scenario;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + raw + "'; expected 1-" + values().length + " or one of " + names());
  }

  public static String names() {
    StringBuilder b = new StringBuilder();
    for (Scenario s : values()) {
      b.append(b.isEmpty() ? "" : ", ").append(s.id);
    }
    return b.toString();
  }
}
