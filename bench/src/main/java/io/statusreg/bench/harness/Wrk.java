package io.statusreg.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs wrk (the Debian package) with a Lua script that sets the Accept header and prints one JSON
 * line of results: requests, duration, bytes, errors and latency percentiles.
 */
public final class Wrk {
  /** Percentile points written by the script, for latency distribution charts. */
  static final double[] POINTS = {
    1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 90, 95, 97.5, 99, 99.5, 99.9, 99.99
  };

  private static final String MARK = "WRKJSON ";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One wrk run's outcome. Latencies in microseconds. */
  public record Result(
      String command,
      long requests,
      double seconds,
      long bytes,
      long errors,
      long non2xx,
      double meanUs,
      double p50Us,
      double p99Us,
      double maxUs,
      List<double[]> percentilesUs,
      long changed) {
    public double requestsPerSecond() {
      return seconds <= 0 ? Double.NaN : requests / seconds;
    }
  }

  private Wrk() {}

  /** The Lua script. */
  static String script(String accept) {
    return """
        -- statusreg bench: fixed GET with an Accept header; prints one JSON line when done.
        wrk.method = "GET"
        %s
        %s"""
        .formatted(
            accept == null ? "" : "wrk.headers[\"Accept\"] = \"" + accept + "\"", done("-1"));
  }

  /**
   * A closed-loop write load for one wrk thread: PUTs of {@code pathPrefix + index} cycling over
   * the indexes in {@code indexesFile} (one per line), SUSPENDED on even passes and VALID on odd
   * ones, so that a request changes its entry unless the entry already had that status (after an
   * earlier run that stopped mid-pass). Counts in {@code changed} the 202 answers that name an
   * event (the entry changed); prints the same JSON line as {@link #script} plus that count. An
   * index is sent again only after every other index was, so with more indexes than connections two
   * PUTs of one entry are never in flight together.
   */
  static String putScript(Path indexesFile, String pathPrefix) {
    return """
        -- statusreg bench: single PUTs flipping entries between SUSPENDED and VALID.
        local idx = {}
        for w in io.open("%s"):read("*a"):gmatch("%%d+") do idx[#idx + 1] = w end
        local n = 0
        changed = 0
        local bodies = { '{"status":"SUSPENDED"}', '{"status":"VALID"}' }
        wrk.method = "PUT"
        wrk.headers["Authorization"] = os.getenv("STATUSREG_BENCH_AUTHORIZATION")
        wrk.headers["Content-Type"] = "application/json"
        request = function()
          local pass = math.floor(n / #idx) %% 2
          local i = idx[(n %% #idx) + 1]
          n = n + 1
          return wrk.format(nil, "%s" .. i, nil, bodies[pass + 1])
        end
        response = function(status, headers, body)
          if status == 202 and not string.find(body, '"event_ids":[]', 1, true) then
            changed = changed + 1
          end
        end
        local threads = {}
        setup = function(thread) table.insert(threads, thread) end
        local function changedCount()
          local c = 0
          for _, t in ipairs(threads) do c = c + t:get("changed") end
          return c
        end
        %s"""
        .formatted(indexesFile, pathPrefix, done("changedCount()"));
  }

  /**
   * Runs {@link #putScript} with one wrk thread and {@code connections} connections against {@code
   * baseUrl}; output kept in {@code workDir}.
   */
  public static Result runPuts(
      Path workDir,
      String label,
      String baseUrl,
      String pathPrefix,
      long[] indexes,
      String authorization,
      int connections,
      Duration duration) {
    try {
      Files.createDirectories(workDir);
      Path indexesFile = workDir.resolve("wrk-put-indexes.txt");
      StringBuilder lines = new StringBuilder();
      for (long i : indexes) {
        lines.append(i).append('\n');
      }
      Files.writeString(indexesFile, lines);
      return runScript(
          workDir,
          "wrk-put.lua",
          putScript(indexesFile, pathPrefix),
          // the bearer token reaches wrk's script through its environment, never a file on disk
          Map.of("STATUSREG_BENCH_AUTHORIZATION", authorization),
          label,
          1,
          connections,
          duration,
          baseUrl);
    } catch (IOException e) {
      throw new UncheckedIOException("running wrk", e);
    }
  }

  /**
   * The scripts' {@code done} function: one JSON line with {@code changed} (the Lua expression
   * {@code changed}; -1 when the script counts none), the summary and the latency percentiles.
   */
  private static String done(String changed) {
    StringBuilder pts = new StringBuilder();
    for (double p : POINTS) {
      pts.append(pts.isEmpty() ? "" : ", ").append(p);
    }
    return """
        local points = { %s }
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            '%s{"changed":%%d,"requests":%%d,"duration_us":%%d,"bytes":%%d,"errors":{"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d},',
            %s, summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
          io.write(string.format('"latency_us":{"min":%%d,"max":%%d,"mean":%%f,"percentiles":[',
            latency.min, latency.max, latency.mean))
          for i, p in ipairs(points) do
            if i > 1 then io.write(",") end
            io.write(string.format("[%%g,%%d]", p, latency:percentile(p)))
          end
          io.write(string.format(",[100,%%d]]}}\\n", latency.max))
        end
        """
        .formatted(pts, MARK, changed);
  }

  /** The wrk command line. */
  public static List<String> command(
      Path scriptFile, int threads, int connections, Duration duration, String url) {
    return List.of(
        Commands.which("wrk"),
        "-t" + threads,
        "-c" + connections,
        "-d" + Math.max(1, duration.toSeconds()) + "s",
        "--timeout",
        "5s",
        "-s",
        scriptFile.toString(),
        url);
  }

  /** Runs wrk against {@code url}; output kept in {@code workDir}. */
  public static Result run(
      Path workDir,
      String label,
      String url,
      String accept,
      int threads,
      int connections,
      Duration duration) {
    try {
      Files.createDirectories(workDir);
      return runScript(
          workDir,
          "wrk-bench.lua",
          script(accept),
          Map.of(),
          label,
          threads,
          connections,
          duration,
          url);
    } catch (IOException e) {
      throw new UncheckedIOException("running wrk", e);
    }
  }

  /**
   * Writes {@code script} to {@code workDir/fileName} and runs wrk with it and {@code env} added to
   * its environment; output kept there.
   */
  private static Result runScript(
      Path workDir,
      String fileName,
      String script,
      Map<String, String> env,
      String label,
      int threads,
      int connections,
      Duration duration,
      String url)
      throws IOException {
    Path scriptFile = workDir.resolve(fileName);
    Files.writeString(scriptFile, script);
    Path out = workDir.resolve("wrk-" + label + ".out");
    Files.deleteIfExists(out);
    List<String> cmd = command(scriptFile, threads, connections, duration, url);
    int rc = Commands.run(cmd, env, out, duration.plusSeconds(30));
    if (rc != 0) {
      throw new IllegalStateException("wrk exited with " + rc + "; see " + out);
    }
    return parse(Files.readString(out), Commands.render(cmd));
  }

  /** Reads the script's JSON line out of wrk's output. */
  public static Result parse(String output, String command) throws IOException {
    int at = output.lastIndexOf(MARK);
    if (at < 0) {
      throw new IOException("no results line in wrk output:\n" + output);
    }
    int end = output.indexOf('\n', at);
    JsonNode j =
        JSON.readTree(output.substring(at + MARK.length(), end < 0 ? output.length() : end));
    JsonNode e = j.get("errors");
    long errors =
        e.get("connect").asLong()
            + e.get("read").asLong()
            + e.get("write").asLong()
            + e.get("timeout").asLong();
    JsonNode lat = j.get("latency_us");
    List<double[]> pts = new ArrayList<>();
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    for (JsonNode p : lat.get("percentiles")) {
      double pct = p.get(0).asDouble();
      double v = p.get(1).asDouble();
      pts.add(new double[] {pct, v});
      if (pct == 50) {
        p50 = v;
      } else if (pct == 99) {
        p99 = v;
      }
    }
    return new Result(
        command,
        j.get("requests").asLong(),
        j.get("duration_us").asDouble() / 1e6,
        j.get("bytes").asLong(),
        errors,
        e.get("status").asLong(),
        lat.get("mean").asDouble(),
        p50,
        p99,
        lat.get("max").asDouble(),
        pts,
        j.path("changed").asLong(-1));
  }
}
