package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsFailFastTest {
  @TempDir Path dir;

  private String stderrOf(Runnable run) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void serveNamesTheBadSettingAndItsValue() throws Exception {
    Path config = dir.resolve("bad.properties");
    Files.writeString(
        config,
        "issuer.auth.issuer=https://auth\nissuer.auth.audience=statusreg\n"
            + "issuer.auth.jwks.url=https://auth/jwks\nhttp.port=99999\n");
    int[] rc = new int[1];
    String err =
        stderrOf(() -> rc[0] = Main.run(new String[] {"serve", "--config", config.toString()}));
    assertThat(rc[0]).isEqualTo(2);
    assertThat(err).contains("http.port").contains("99999").contains("STATUSREG_HTTP_PORT");
  }

  @Test
  void serveRequiresTheIssuerAuthKeys() throws Exception {
    Path config = dir.resolve("nokeys.properties");
    Files.writeString(config, "issuer.auth.issuer=https://auth\nissuer.auth.audience=statusreg\n");
    int[] rc = new int[1];
    String err =
        stderrOf(() -> rc[0] = Main.run(new String[] {"serve", "--config", config.toString()}));
    assertThat(rc[0]).isEqualTo(2);
    assertThat(err).contains("issuer.auth.jwks.file").contains("issuer.auth.jwks.url");
  }

  @Test
  void unknownOptionsAreUsageErrors() {
    int[] rc = new int[1];
    String err = stderrOf(() -> rc[0] = Main.run(new String[] {"dev", "--prot", "1"}));
    assertThat(rc[0]).isEqualTo(2);
    assertThat(err).contains("unknown option --prot");
  }
}
