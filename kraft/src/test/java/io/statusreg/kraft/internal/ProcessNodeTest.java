package io.statusreg.kraft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessNodeTest {

  @Test
  void nodeRunsKafkaMainOnItsConfigWithTheGivenClasspath() {
    Path dir = Path.of("/data/node-2");
    ProcessNode node =
        new ProcessNode(
            2,
            dir,
            dir.resolve("server.properties"),
            dir.resolve("data"),
            new ProcessNode.Launch(Path.of("/jdk/bin/java"), "/a.jar:/b.jar", List.of("-Xmx256m")));

    List<String> args = node.javaArguments();

    assertThat(args.getFirst()).isEqualTo("-Xmx256m");
    assertThat(args).containsSubsequence("-cp", "/a.jar:/b.jar");
    assertThat(args.subList(args.size() - 2, args.size()))
        .containsExactly(KafkaNodeMain.class.getName(), "/data/node-2/server.properties");
    assertThat(node.logFile()).isEqualTo(dir.resolve("server.log"));
  }

  @Test
  void argumentFileQuotingKeepsSpacesQuotesAndBackslashes() {
    assertThat(ProcessNode.quoteForArgumentFile("/my dir/a \"b\" c\\d"))
        .isEqualTo("\"/my dir/a \\\"b\\\" c\\\\d\"");
  }

  @Test
  void tailReturnsTheLastLines(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("server.log");
    Files.writeString(
        log,
        IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")));

    assertThat(ProcessNode.tail(log, 3)).isEqualTo("line 98\nline 99\nline 100");
  }
}
