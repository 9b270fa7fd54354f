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
      List<double[]> percentilesUs) {
    public double requestsPerSecond() {
      return seconds <= 0 ? Double.NaN : requests / seconds;
    }
  }

  private Wrk() {}

  /** The Lua script. */
  static String script(String accept) {
    StringBuilder pts = new StringBuilder();
    for (double p : POINTS) {
      pts.append(pts.isEmpty() ? "" : ", ").append(p);
    }
    return """
        -- statusreg bench: fixed GET with an Accept header; prints one JSON line when done.
        wrk.method = "GET"
        %s
        local points = { %s }
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            '%s{"requests":%%d,"duration_us":%%d,"bytes":%%d,"errors":{"connect":%%d,"read":%%d,"write":%%d,"status":%%d,"timeout":%%d},',
            summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
          io.write(string.format('"latency_us":{"min":%%d,"max":%%d,"mean":%%f,"percentiles":[',
            latency.min, latency.max, latency.mean))
          for i, p in ipairs(points) do
            if i > 1 then io.write(",") end
            io.write(string.format("[%%g,%%d]", p, latency:percentile(p)))
          end
          io.write(string.format(",[100,%%d]]}}\\n", latency.max))
        end
        """
        .formatted(accept == null ? "" : "wrk.headers[\"Accept\"] = \"" + accept + "\"", pts, MARK);
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
      Path scriptFile = workDir.resolve("wrk-bench.lua");
      Files.writeString(scriptFile, script(accept));
      Path out = workDir.resolve("wrk-" + label + ".out");
      Files.deleteIfExists(out);
      List<String> cmd = command(scriptFile, threads, connections, duration, url);
      int rc = Commands.run(cmd, Map.of(), out, duration.plusSeconds(30));
      if (rc != 0) {
        throw new IllegalStateException("wrk exited with " + rc + "; see " + out);
      }
      return parse(Files.readString(out), Commands.render(cmd));
    } catch (IOException e) {
      throw new UncheckedIOException("running wrk", e);
    }
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
        pts);
  }
}
