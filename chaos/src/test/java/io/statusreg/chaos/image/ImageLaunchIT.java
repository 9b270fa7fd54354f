package io.statusreg.chaos.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.chaos.cluster.HarnessKeys;
import io.statusreg.kraft.KraftCluster;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's runtime starts and serves: the layout.sh layout, read-only, started by the image's
 * launcher with only {@code STATUSREG_*} variables, as user 10001, against a real KRaft broker,
 * reaches ready and serves a signed token, and writes only to its state volume and {@code /tmp}.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class ImageLaunchIT {

  @Test
  void theLauncherServesFromAReadOnlyLayoutWithOnlyStatusregSettings() throws Exception {
    Path work = Path.of("target", "image-launch").toAbsolutePath();
    try (ImageRuntime image = ImageRuntime.build(work);
        KraftCluster kafka =
            KraftCluster.builder()
                .nodes(1)
                .dataDir(work.resolveSibling("image-launch-kafka"))
                .build()) {
      kafka.start();
      HarnessKeys keys = HarnessKeys.generate(work.resolve("keys"));
      Map<String, String> settings = image.podSettings(kafka, keys);
      ImageRuntime.createTopics(settings);

      // The emulation holds: the layout and the rest of the root are read-only for the image's
      // process, the volume and /tmp are not.
      ImageRuntime.ProcessResult probe =
          image.runInImage(
              settings,
              List.of(
                  "bash",
                  "-c",
                  "id -u; touch statusreg.probe; touch "
                      + work.resolveSibling("outside.probe")
                      + "; touch "
                      + image.data.resolve("probe")
                      + " && echo volume-ok;"
                      + " touch /tmp/probe && echo tmp-ok; env | cut -d= -f1 | sort | tr '\\n' ' '"));
      assertThat(probe.output())
          .contains("statusreg.probe': Read-only file system")
          .contains("outside.probe': Read-only file system")
          .contains("volume-ok")
          .contains("tmp-ok");
      if (ImageRuntime.isRoot()) {
        assertThat(probe.output()).startsWith(ImageRuntime.IMAGE_UID + "\n");
      }
      Matcher names = Pattern.compile("(?m)^((?:[A-Z_0-9]+ )+)$").matcher(probe.output());
      assertThat(names.find()).as("the environment's names in %s", probe.output()).isTrue();
      assertThat(names.group(1).trim().split(" "))
          .as("the environment the launcher gets")
          .allMatch(
              n ->
                  n.startsWith("STATUSREG_")
                      || n.equals("PATH")
                      || n.equals("PWD")
                      || n.equals("SHLVL")
                      || n.equals("_"));
      Files.delete(image.data.resolve("probe"));
      Files.delete(image.tmp.resolve("probe"));

      Map<String, String> layoutBefore = ImageRuntime.snapshot(image.layout);
      image.startServe(settings);
      image.awaitReady(Duration.ofMinutes(4));

      String token = keys.bearerToken("image-issuer", Duration.ofHours(1));
      HttpResponse<String> created =
          image.send("POST", "/issuers/image-issuer/lists", token, "{\"bits\":1,\"size\":1024}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      Matcher uri =
          Pattern.compile("/statuslists/image-issuer/([A-Za-z0-9_-]+)").matcher(created.body());
      assertThat(uri.find()).as(created.body()).isTrue();
      String tokenPath = "/statuslists/image-issuer/" + uri.group(1);
      HttpResponse<String> served = awaitToken(image, tokenPath);
      assertThat(served.body().strip()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
      assertThat(served.headers().firstValue("ETag")).isPresent();

      // What it wrote: its state on the volume, its native libraries and perf data in /tmp.
      assertThat(Files.list(image.data.resolve("state")).toList()).isNotEmpty();
      List<String> inTmp;
      try (Stream<Path> files = Files.walk(image.tmp)) {
        inTmp = files.map(f -> image.tmp.relativize(f).toString()).toList();
      }
      assertThat(inTmp).anyMatch(f -> f.contains("rocksdb"));

      image.close();
      assertThat(image.process().exitValue())
          .as("a clean stop on SIGTERM:\n%s", image.logTail())
          .isIn(0, 143);
      // Nothing else: the layout is unchanged, and no write elsewhere was even attempted (each
      // would have failed with EROFS, and the JVM, RocksDB and logback report those).
      assertThat(ImageRuntime.snapshot(image.layout)).isEqualTo(layoutBefore);
      assertThat(image.logText())
          .doesNotContainIgnoringCase("read-only file system")
          .doesNotContain("Could not create")
          .doesNotContain("AccessDenied");
    }
  }

  private static HttpResponse<String> awaitToken(ImageRuntime image, String path) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    HttpResponse<String> r = image.get(path);
    while (r.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      r = image.get(path);
    }
    assertThat(r.statusCode())
        .as("token %s: %s\n%s", path, r.body(), image.logTail())
        .isEqualTo(200);
    return r;
  }
}
