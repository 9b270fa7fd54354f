package io.statusreg.streams.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store ({@code token-directory}) openable after a crash.
 *
 * <p>Kafka Streams 4.3 keeps a RocksDB store's committed offsets and an open/closed status inside
 * the store (KIP-1035). A JVM killed while the store is open leaves the status "open"; under {@code
 * exactly_once_v2} the next open throws {@code TaskCorruptedException} ("didn't find a valid state,
 * since under EOS it has the risk of getting uncommitted data in stores"). For a stream task
 * Streams catches that, wipes the task and restores it; for the global store nothing catches it
 * (apache/kafka KAFKA-21034, PR #23390, open): the global thread dies and the client goes to ERROR
 * ("Global thread has died"). Whether the "open" status reached disk depends on whether RocksDB had
 * flushed a memtable since the open (the stores write no WAL), which is why it hit about half of
 * the kill -9 restarts.
 *
 * <p>The global store is a pure function of {@code statusreg.tokens}, so it is safe to rebuild: a
 * marker file is written after a clean close and consumed at start; a start without the marker (the
 * previous run was killed or did not close in time) wipes {@code
 * <state.dir>/<application.id>/global} first, and Streams restores it from the topic.
 *
 * <p>Such a start wipes the stream tasks' directories too ({@code <state.dir>/<application.id>/0_3}
 * ...; each is a copy of its changelogs). Kept, they make the restarted instance look caught up, so
 * the assignor handed its tasks straight back, and then Streams found them corrupted, wiped them
 * itself, restored them and rejoined the group ({@code enforceRebalance("Active tasks
 * corrupted")}): the lists of those tasks waited 2.2 s in the phase after the restart (chaos
 * kill-instance, 2026-12-04). Wiped, the instance reports the lag it really has: it gets its tasks
 * back at once only when their changelogs are short, and otherwise warm-up replicas first.
 */
public final class GlobalStateGuard {
  private static final Logger log = LoggerFactory.getLogger(GlobalStateGuard.class);

  /** The marker's name, next to Streams' own files in the application's state directory. */
  public static final String MARKER = "statusreg-clean-shutdown";

  private final Path appDir;

  public GlobalStateGuard(Path stateDir, String applicationId) {
    this.appDir = stateDir.toAbsolutePath().resolve(applicationId);
  }

  /** {@code <state.dir>/<application.id>/global}, where Streams keeps the global stores. */
  public Path globalDir() {
    return appDir.resolve("global");
  }

  public Path marker() {
    return appDir.resolve(MARKER);
  }

  /**
   * Called before Streams starts: consumes the marker, or wipes the global state when it is
   * missing.
   *
   * @return whether the global state was wiped
   */
  public boolean beforeStart() {
    Path marker = marker();
    try {
      if (Files.deleteIfExists(marker)) {
        syncDir(appDir);
        log.info("previous run closed cleanly: keeping the global state in {}", globalDir());
        return false;
      }
    } catch (IOException e) {
      log.warn(
          "cannot consume the clean-shutdown marker {}: treating the run as unclean", marker, e);
    }
    String why = "the previous run did not close cleanly (no " + MARKER + " marker)";
    wipeTasks(why);
    return wipe(why);
  }

  /**
   * Deletes every stream task's state directory ({@code <subtopology>_<partition>}); Streams
   * restores each from its changelogs. Nothing else in the application's directory is touched.
   *
   * @return how many task directories were deleted
   */
  public int wipeTasks(String why) {
    if (!Files.isDirectory(appDir)) {
      return 0;
    }
    List<Path> tasks;
    try (var entries = Files.list(appDir)) {
      tasks =
          entries
              .filter(Files::isDirectory)
              .filter(d -> d.getFileName().toString().matches("[0-9]+_[0-9]+"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("listing the task state directories in " + appDir, e);
    }
    if (tasks.isEmpty()) {
      return 0;
    }
    log.warn(
        "{}: wiping the state of {} stream task(s) in {}; each is restored from its changelogs",
        why,
        tasks.size(),
        appDir);
    for (Path dir : tasks) {
      try {
        io.statusreg.common.FileTrees.deleteRecursively(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("wiping the task state directory " + dir, e);
      }
    }
    return tasks.size();
  }

  /**
   * Deletes the global state directory so that Streams rebuilds it from its source topic.
   *
   * @return whether there was anything to delete
   */
  public boolean wipe(String why) {
    Path dir = globalDir();
    if (!Files.isDirectory(dir)) {
      return false;
    }
    log.warn("{}: wiping the global state in {}; it is rebuilt from statusreg.tokens", why, dir);
    try {
      io.statusreg.common.FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("wiping the global state directory " + dir, e);
    }
    return true;
  }

  /** Called after Streams closed cleanly: the next start may trust the global store. */
  public void afterCleanClose() {
    Path marker = marker();
    try {
      Files.createDirectories(appDir);
      try (FileChannel ch =
          FileChannel.open(
              marker,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(java.nio.ByteBuffer.wrap((Instant.now() + "\n").getBytes()));
        ch.force(true);
      }
      syncDir(appDir);
    } catch (IOException e) {
      log.warn(
          "cannot write the clean-shutdown marker {}: the next start rebuilds the global store",
          marker,
          e);
    }
  }

  /** Removes the marker without wiping (a run that is about to start Streams again in-process). */
  public void forgetMarker() {
    try {
      Files.deleteIfExists(marker());
    } catch (IOException e) {
      log.warn("cannot delete the clean-shutdown marker {}", marker(), e);
    }
  }

  private static void syncDir(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every file system lets a directory be synced; the marker is then best effort.
    }
  }
}
