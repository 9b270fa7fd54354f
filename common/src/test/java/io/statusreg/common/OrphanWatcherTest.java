package io.statusreg.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrphanWatcherTest {
  @Test
  void exitsWhenTheParentsPipeClosesAndHaltsAfterTheGrace() throws Exception {
    PipedOutputStream parent = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(parent);
    BlockingQueue<String> calls = new ArrayBlockingQueue<>(4);

    Thread watcher =
        OrphanWatcher.watch(
            stdin,
            "a test child",
            Duration.ofMillis(50),
            code -> calls.add("halt " + code),
            code -> calls.add("exit " + code));

    assertThat(calls.poll(200, TimeUnit.MILLISECONDS)).as("alive while the pipe is open").isNull();
    assertThat(watcher.isDaemon()).isTrue();
    parent.close();

    assertThat(calls.poll(5, TimeUnit.SECONDS)).isEqualTo("exit 3");
    assertThat(calls.poll(5, TimeUnit.SECONDS)).isEqualTo("halt 3");
  }
}
