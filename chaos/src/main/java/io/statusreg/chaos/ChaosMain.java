package io.statusreg.chaos;

import io.statusreg.chaos.report.ChaosReport;
import io.statusreg.chaos.report.ReportWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./statusreg chaos <scenario> [options]}: runs one scenario and writes its report. */
public final class ChaosMain {
  private ChaosMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    List<String> rest = new ArrayList<>(List.of(args));
    if (!rest.isEmpty() && rest.getFirst().equals("chaos")) {
      rest.removeFirst();
    }
    if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h") || rest.contains("help")) {
      System.out.print(ChaosOptions.USAGE);
      return rest.isEmpty() ? 2 : 0;
    }
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(rest, home());
    } catch (IllegalArgumentException e) {
      System.err.println("statusreg chaos: " + e.getMessage());
      System.err.print(ChaosOptions.USAGE);
      return 2;
    }
    ChaosReport report = new ScenarioRunner(options).run();
    ReportWriter.write(report, options.reportDir());
    System.out.println(ReportWriter.markdown(report));
    System.out.println("report: " + options.reportDir().resolve("report.md"));
    System.out.println(report.summaryLine());
    return report.passed() ? 0 : 1;
  }

  private static Path home() {
    return Path.of(System.getProperty("statusreg.home", ".")).toAbsolutePath().normalize();
  }
}
