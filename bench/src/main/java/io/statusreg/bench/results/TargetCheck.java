package io.statusreg.bench.results;

/**
 * A stated goal and where the measured figure stands against it. Goals are written down, never
 * asserted: a missed goal is a finding, not a failure.
 *
 * @param goal the goal in words
 * @param figureId the figure it is judged on
 * @param comparison {@code >=} or {@code <=}
 * @param threshold the goal's bound
 * @param actual the measured value, or NaN when it was not measured
 * @param verdict {@code met}, {@code missed} or {@code not measured}
 */
public record TargetCheck(
    String goal,
    String figureId,
    String comparison,
    double threshold,
    double actual,
    String unit,
    String verdict) {
  public static final String MET = "met";
  public static final String MISSED = "missed";
  public static final String NOT_MEASURED = "not measured";
}
