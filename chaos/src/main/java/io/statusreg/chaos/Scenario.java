package io.statusreg.chaos;

import java.util.Locale;

/** The chaos scenarios, by number and name. */
public enum Scenario {
  ROLLING_RESTART(
      1,
      "rolling-restart",
      true,
      "SIGTERM each instance in turn, wait until it is ready, then the next (static membership)"),
  SCALE_OUT(2, "scale-out", true, "scale 3 -> 4 -> 3 instances under load"),
  KILL_INSTANCE(3, "kill-instance", true, "kill -9 one instance under load, then restart it"),
  KILL_BROKER(4, "kill-broker", true, "kill -9 one Kafka node under load, then restart it"),
  ROLLING_RESTART_DYNAMIC(
      5,
      "rolling-restart-dynamic",
      false,
      "the rolling restart with dynamic membership (no instance id): the control");

  private final int number;
  private final String id;
  private final boolean staticMembership;
  private final String description;

  Scenario(int number, String id, boolean staticMembership, String description) {
    this.number = number;
    this.id = id;
    this.staticMembership = staticMembership;
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

  public String description() {
    return description;
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
        "unknown scenario '" + raw + "'; expected 1-5 or one of " + names());
  }

  public static String names() {
    StringBuilder b = new StringBuilder();
    for (Scenario s : values()) {
      b.append(b.isEmpty() ? "" : ", ").append(s.id);
    }
    return b.toString();
  }
}
