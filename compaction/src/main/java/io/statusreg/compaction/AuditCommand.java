package io.statusreg.compaction;

import com.nimbusds.jose.jwk.JWKSet;
import io.statusreg.compaction.audit.AuditReport;
import io.statusreg.compaction.audit.Auditor;
import io.statusreg.compaction.audit.TokenDecoder;
import io.statusreg.compaction.replay.ProgressBar;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.compaction.topics.RegistryTopics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code statusreg audit}: rebuilds every list from the log and compares it with the published
 * tokens; exit 1 on any finding.
 */
public final class AuditCommand {
  public static final String USAGE =
      """
      usage: statusreg audit [--jwks FILE] [--settle D] [--from-beginning] [options]
        --jwks FILE        public keys (JWK set) to verify token signatures; without it only bits
        --settle D         how long a token may lag the log before it is reported (default 30s)
        --from-beginning   fold all events rather than snapshots plus tail
        --max-indexes N    indexes printed per list (default 50)
        --no-progress      no progress bar on stderr
        --bootstrap-servers H:P, --data-dir DIR as for every command
      """;

  private AuditCommand() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err, System.getenv());
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    try {
      CliArgs a =
          CliArgs.parse(
              args,
              Set.of("bootstrap-servers", "data-dir", "jwks", "settle", "max-indexes"),
              Set.of("from-beginning", "no-progress"));
      KafkaAccess kafka = KafkaAccess.resolve(a, env);
      Optional<JWKSet> keys = Optional.empty();
      if (a.get("jwks").isPresent()) {
        try {
          keys = Optional.of(JWKSet.load(Path.of(a.get("jwks").get()).toFile()));
        } catch (java.io.IOException | java.text.ParseException e) {
          throw new CliArgs.UsageException("--jwks: cannot read a JWK set: " + e.getMessage());
        }
      }
      StateRebuilder.Options options =
          StateRebuilder.Options.fromSnapshots(RegistryTopics.EVENTS, RegistryTopics.SNAPSHOTS);
      if (a.has("from-beginning")) {
        options = options.withStart(StateRebuilder.Start.BEGINNING);
      }
      Auditor auditor =
          new Auditor(
              kafka,
              new StateRebuilder(kafka, options),
              RegistryTopics.TOKENS,
              new TokenDecoder(keys),
              a.duration("settle").orElse(Duration.ofSeconds(30)),
              Clock.systemUTC());
      AuditReport report =
          auditor.audit(a.has("no-progress") ? ReplayProgress.NONE : new ProgressBar(err, "audit"));
      report.print(out, a.integer("max-indexes").orElse(50));
      return report.clean() ? 0 : 1;
    } catch (CliArgs.UsageException e) {
      err.println("statusreg audit: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (RuntimeException e) {
      err.println("statusreg audit: " + e.getMessage());
      return 1;
    }
  }
}
