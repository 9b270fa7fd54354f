package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command and subcommand of {@code ./statusreg} answers {@code --help} and {@code -h} with
 * its usage on stdout and exit code 0, without doing anything else; an unknown option still fails
 * with exit code 2.
 */
class HelpTest {
  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Each command line and the usage line its help must print. */
  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of(List.of("dev"), "usage: statusreg dev"),
        Arguments.of(List.of("serve"), "usage: statusreg serve"),
        Arguments.of(List.of("topics"), "usage: statusreg topics"),
        Arguments.of(List.of("topics", "apply"), "usage: statusreg topics"),
        Arguments.of(List.of("topics", "verify"), "usage: statusreg topics"),
        Arguments.of(List.of("snapshot"), "usage: statusreg snapshot"),
        Arguments.of(List.of("replay"), "usage: statusreg replay"),
        Arguments.of(List.of("audit"), "usage: statusreg audit"),
        Arguments.of(List.of("reset"), "usage: statusreg reset"),
        Arguments.of(List.of("analytics"), "usage: statusreg analytics"),
        Arguments.of(List.of("analytics", "sink"), "usage: statusreg analytics"),
        Arguments.of(List.of("analytics", "query"), "usage: statusreg analytics"),
        Arguments.of(List.of("analytics", "migrate"), "usage: statusreg analytics"),
        Arguments.of(List.of("settings"), "usage: statusreg settings"),
        Arguments.of(List.of("help"), "usage: statusreg <command>"));
  }

  @ParameterizedTest(name = "{0} --help")
  @MethodSource("commands")
  void longHelpPrintsTheUsageAndExitsZero(List<String> command, String usage) {
    Run r = run(with(command, "--help"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith(usage);
    assertThat(r.err()).isEmpty();
  }

  @ParameterizedTest(name = "{0} -h")
  @MethodSource("commands")
  void shortHelpPrintsTheUsageAndExitsZero(List<String> command, String usage) {
    Run r = run(with(command, "-h"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith(usage);
  }

  @ParameterizedTest(name = "help {0}")
  @MethodSource("commands")
  void helpNamingACommandPrintsItsUsage(List<String> command, String usage) {
    Run r = run("help", command.getFirst());
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith(usage);
  }

  /** The commands that take options ({@code help} takes a command name instead). */
  static Stream<Arguments> commandsWithOptions() {
    return commands().filter(a -> !a.get()[0].equals(List.of("help")));
  }

  @ParameterizedTest(name = "{0} --no-such-option")
  @MethodSource("commandsWithOptions")
  void anUnknownOptionStillFailsWithTwo(List<String> command, String usage) {
    Run r = run(with(command, "--no-such-option", "x"));
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains("no-such-option");
  }

  @ParameterizedTest(name = "{0} --no-such-option (last, without a value)")
  @MethodSource("commandsWithOptions")
  void anUnknownLastOptionIsNamedAsUnknown(List<String> command, String usage) {
    Run r = run(with(command, "--no-such-option"));
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains("no-such-option").doesNotContain("needs a value");
  }

  @org.junit.jupiter.api.Test
  void noCommandOrAnUnknownOnePrintsTheUsageAndFailsWithTwo() {
    Run none = run();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.out()).startsWith("usage: statusreg <command>");
    Run unknown = run("no-such-command");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.out() + unknown.err()).contains("usage: statusreg <command>");
  }

  private static String[] with(List<String> command, String... more) {
    String[] out = Arrays.copyOf(command.toArray(String[]::new), command.size() + more.length);
    System.arraycopy(more, 0, out, command.size(), more.length);
    return out;
  }
}
