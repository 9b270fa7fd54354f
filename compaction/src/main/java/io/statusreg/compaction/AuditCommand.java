package io.statusreg.compaction;

import io.statusreg.common.DevAddresses;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.compaction.audit.AuditReport;
import io.statusreg.compaction.audit.Auditor;
import io.statusreg.compaction.audit.TokenReader;
import io.statusreg.compaction.replay.ProgressBar;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.tokens.TokenVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
      usage: statusreg audit [--jwks FILE | --jwks-url URL] [--max-lag D] [--from-beginning] [options]
        --jwks FILE        the issuers' public keys (JWK set) that token signatures must verify with
        --jwks-url URL     the same, fetched from a running registry: http(s)://host/.well-known/jwks.json
                           (default: the JWKS of `statusreg dev`, from <data-dir>/http-url)
        --max-lag D        how far publication may trail the log: a correct token whose first
                           missing event is older, or a list without a token created longer ago,
                           is reported (default 30s)
        --settle D         tokens of wire version 1 (they do not say what they cover) are
                           re-checked until they agree or this long has passed (default 30s)
        --from-beginning   fold all events rather than snapshots plus tail
        --max-indexes N    indexes printed per list (default 50)
        --no-progress      no progress bar on stderr
        --bootstrap-servers H:P, --config FILE, --data-dir DIR as for every command
      """;

  private AuditCommand() {}

  /**
   * Where the keys come from: {@code --jwks FILE} or {@code --jwks-url URL} (at most one), else the
   * JWKS of the registry {@code statusreg dev} runs, from the base URL it wrote to {@code
   * <data-dir>/http-url} (announced on {@code notices}).
   */
  record KeySource(Optional<Path> file, Optional<String> url) {
    static KeySource of(CliArgs a, PrintStream notices) {
      Optional<String> file = a.get("jwks");
      Optional<String> url = a.get("jwks-url");
      if (file.isPresent() && url.isPresent()) {
        throw new CliArgs.UsageException("give --jwks FILE or --jwks-url URL, not both");
      }
      if (file.isPresent()) {
        return new KeySource(file.map(Path::of), Optional.empty());
      }
      if (url.isPresent()) {
        return new KeySource(Optional.empty(), url);
      }
      Path dataDir = ToolSettings.dataDir(a);
      Optional<String> dev = DevAddresses.httpUrl(dataDir);
      if (dev.isEmpty()) {
        throw new CliArgs.UsageException(
            "give the public keys to verify tokens with: --jwks FILE or --jwks-url URL (or run"
                + " `statusreg dev`, which writes its address to "
                + dataDir.resolve(DevAddresses.HTTP_URL_FILE)
                + ")");
      }
      String jwks = stripSlash(dev.get()) + "/.well-known/jwks.json";
      notices.println(
          "jwks: "
              + jwks
              + " (from "
              + dataDir.resolve(DevAddresses.HTTP_URL_FILE)
              + ", written by `statusreg dev`)");
      return new KeySource(Optional.empty(), Optional.of(jwks));
    }

    private static String stripSlash(String url) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    String name() {
      return file.map(Path::toString).orElseGet(url::orElseThrow);
    }
  }

  /** The verification keys of {@code source}. */
  static VerificationKeys keys(KeySource source) {
    String json;
    if (source.file().isPresent()) {
      try {
        json = Files.readString(source.file().get(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new CliArgs.UsageException("--jwks: cannot read " + source.name() + ": " + e);
      }
    } else {
      json = fetch(source.url().orElseThrow());
    }
    try {
      VerificationKeys keys = VerificationKeys.parse(json);
      if (keys.size() == 0) {
        throw new CliArgs.UsageException("the JWK set of " + source.name() + " is empty");
      }
      return keys;
    } catch (RegistryException e) {
      throw new CliArgs.UsageException(
          "cannot read a JWK set from " + source.name() + ": " + e.getMessage());
    }
  }

  private static String fetch(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new CliArgs.UsageException("--jwks-url is not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new CliArgs.UsageException("--jwks-url must be an http or https URL, got " + url);
    }
    try (HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Accept", "application/jwk-set+json, application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "fetching " + url + ": HTTP " + response.statusCode() + " (expected 200)");
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException("fetching " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching " + url, e);
    }
  }

  public static int run(String[] args) {
    return run(args, System.out, System.err, System.getenv());
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    try {
      CliArgs a =
          CliArgs.parse(
              args,
              ToolSettings.withCommon("jwks", "jwks-url", "settle", "max-lag", "max-indexes"),
              Set.of("from-beginning", "no-progress"));
      KafkaAccess kafka = KafkaAccess.resolve(a, env, err);
      VerificationKeys keys = keys(KeySource.of(a, err));
      StateRebuilder.Options options =
          StateRebuilder.Options.fromSnapshots(TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS);
      if (a.has("from-beginning")) {
        options = options.withStart(StateRebuilder.Start.BEGINNING);
      }
      Auditor auditor =
          new Auditor(
              kafka,
              new StateRebuilder(kafka, options),
              TopicCatalogue.TOKENS,
              new TokenReader(TokenVerifier.of(keys)),
              a.duration("settle").orElse(Duration.ofSeconds(30)),
              a.duration("max-lag").orElse(Duration.ofSeconds(30)),
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
