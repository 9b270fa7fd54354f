package io.statusreg.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void deletesANestedTreeAndSaysItExisted() throws Exception {
    Path root = tmp.resolve("data");
    Files.createDirectories(root.resolve("a/b/c"));
    Files.writeString(root.resolve("a/b/c/file"), "x");
    Files.writeString(root.resolve("top"), "y");

    assertThat(FileTrees.deleteRecursively(root)).isTrue();

    assertThat(root).doesNotExist();
    assertThat(tmp).exists();
  }

  @Test
  void aMissingRootIsNoError() throws Exception {
    assertThat(FileTrees.deleteRecursively(tmp.resolve("never-made"))).isFalse();
  }

  @Test
  void aSymbolicLinkIsDeletedNotFollowed() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path kept = Files.writeString(outside.resolve("kept"), "keep me");
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createSymbolicLink(root.resolve("link"), outside);

    FileTrees.deleteRecursively(root);

    assertThat(root).doesNotExist();
    assertThat(kept).hasContent("keep me");
  }
}
