package io.statusreg.bench.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads values out of a server's Prometheus {@code /metrics} text. */
public final class Metrics {
  private Metrics() {}

  public static String scrape(String baseUrl) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("/metrics answered " + r.statusCode());
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Sum of every sample of {@code name} whose labels contain every one of {@code labelParts} (e.g.
   * {@code area="heap"}); NaN when there is none.
   */
  public static double sum(String text, String name, String... labelParts) {
    double sum = 0;
    boolean any = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      if (!(rest.startsWith("{") || rest.startsWith(" "))) {
        continue;
      }
      boolean match = true;
      for (String part : labelParts) {
        if (!rest.contains(part)) {
          match = false;
        }
      }
      if (!match) {
        continue;
      }
      String[] fields = line.trim().split("\\s+");
      try {
        sum += Double.parseDouble(fields[fields.length - 1]);
        any = true;
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return any ? sum : Double.NaN;
  }
}
