package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a start keeps of the state directory after a clean and after an unclean stop. */
class GlobalStateGuardTest {
  @TempDir Path stateDir;

  private Path app() {
    return stateDir.resolve("statusreg");
  }

  private void layOut() throws Exception {
    for (String d : new String[] {"global", "0_0", "0_11", "1_3"}) {
      Files.createDirectories(app().resolve(d).resolve("rocksdb"));
      Files.writeString(app().resolve(d).resolve("rocksdb").resolve("CURRENT"), "x");
    }
    Files.createDirectories(app().resolve("not_a_task"));
    Files.writeString(app().resolve("kafka-streams-process-metadata"), "{}");
  }

  @Test
  void anUncleanStopWipesTheGlobalStoreAndEveryTaskButNothingElse() throws Exception {
    layOut();
    GlobalStateGuard guard = new GlobalStateGuard(stateDir, "statusreg");

    assertThat(guard.beforeStart()).isTrue(); // no marker: the previous run was killed

    assertThat(app().resolve("global")).doesNotExist();
    assertThat(app().resolve("0_0")).doesNotExist();
    assertThat(app().resolve("0_11")).doesNotExist();
    assertThat(app().resolve("1_3")).doesNotExist();
    assertThat(app().resolve("not_a_task")).isDirectory();
    assertThat(app().resolve("kafka-streams-process-metadata")).exists();
  }

  @Test
  void aCleanStopKeepsEverything() throws Exception {
    layOut();
    GlobalStateGuard guard = new GlobalStateGuard(stateDir, "statusreg");
    guard.afterCleanClose();

    assertThat(guard.beforeStart()).isFalse();

    for (String d : new String[] {"global", "0_0", "0_11", "1_3"}) {
      assertThat(app().resolve(d).resolve("rocksdb").resolve("CURRENT")).exists();
    }
    assertThat(guard.marker()).doesNotExist(); // consumed: a kill after this start is unclean
  }

  @Test
  void aFirstStartHasNothingToWipe() {
    GlobalStateGuard guard = new GlobalStateGuard(stateDir, "statusreg");
    assertThat(guard.wipeTasks("test")).isZero();
    assertThat(guard.beforeStart()).isFalse();
  }
}
