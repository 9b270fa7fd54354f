package io.statusreg.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevAddressesTest {
  @TempDir Path dataDir;

  @Test
  void eachStartRewritesOneLineThatTheToolsReadBack() throws Exception {
    assertThat(DevAddresses.bootstrap(dataDir)).isEmpty();
    assertThat(DevAddresses.httpUrl(dataDir)).isEmpty();

    Path file = DevAddresses.writeBootstrap(dataDir, "127.0.0.1:40001");
    assertThat(file).isEqualTo(dataDir.resolve("kafka/bootstrap"));
    DevAddresses.writeHttpUrl(dataDir, "http://localhost:8080");
    assertThat(DevAddresses.bootstrap(dataDir)).hasValue("127.0.0.1:40001");
    assertThat(DevAddresses.httpUrl(dataDir)).hasValue("http://localhost:8080");

    DevAddresses.writeBootstrap(dataDir, "127.0.0.1:40002");
    assertThat(Files.readString(file)).isEqualTo("127.0.0.1:40002\n");
    assertThat(DevAddresses.bootstrap(dataDir)).hasValue("127.0.0.1:40002");
  }

  @Test
  void aBlankFileIsNoAddress() throws Exception {
    Files.createDirectories(dataDir.resolve("kafka"));
    Files.writeString(dataDir.resolve("kafka/bootstrap"), "  \n");
    assertThat(DevAddresses.bootstrap(dataDir)).isEmpty();
  }
}
