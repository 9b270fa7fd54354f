package io.statusreg.chaos.cluster;

import java.util.OptionalLong;

/**
 * The registry's own rebalance counter as {@code GET /metrics} exports it ({@code
 * statusreg_streams_rebalances_total}: times the Streams client entered REBALANCING since the
 * process started). A second source next to {@link RebalanceLog}.
 */
public final class RebalanceMetric {
  public static final String NAME = "statusreg_streams_rebalances_total";

  private RebalanceMetric() {}

  /** The counter's value in a Prometheus text exposition, summed over its label sets. */
  public static OptionalLong parse(String exposition) {
    boolean found = false;
    double sum = 0;
    for (String line : exposition.lines().toList()) {
      if (line.startsWith(NAME + " ") || line.startsWith(NAME + "{")) {
        int space = line.lastIndexOf(' ');
        try {
          sum += Double.parseDouble(line.substring(space + 1).trim());
          found = true;
        } catch (NumberFormatException ignored) {
          // not a sample line
        }
      }
    }
    return found ? OptionalLong.of((long) sum) : OptionalLong.empty();
  }

  /** The counter of a running instance, if it answers and exports it. */
  public static OptionalLong read(RegistryInstance instance) {
    return instance.metrics().map(RebalanceMetric::parse).orElse(OptionalLong.empty());
  }
}
