package io.statusreg.compaction.replay;

import io.statusreg.compaction.snapshots.SnapshotCodec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a rebuilt state into a fresh directory: {@code lists.bin} (for each list in key order, a
 * 4-byte length and its snapshot body, the same encoding as {@code statusreg.snapshots}) and {@code
 * replay.properties} (digest, positions, counts). Refuses a directory that is not empty, so it can
 * never overwrite a live application's state directory.
 */
public final class StateDump {
  private StateDump() {}

  public static void write(RegistryState state, Path dir, Map<String, String> facts) {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            throw new IllegalStateException(
                dir + " is not empty: replay writes only to fresh directories");
          }
        }
      }
      Files.createDirectories(dir);
      try (OutputStream file = Files.newOutputStream(dir.resolve("lists.bin"));
          DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(file))) {
        for (ListFold f : state.lists().values()) {
          byte[] body =
              SnapshotCodec.rawBody(
                  f.toSnapshot(state.positions().getOrDefault(f.partition(), 0L), Instant.EPOCH));
          out.writeInt(body.length);
          out.write(body);
        }
      }
      Properties p = new Properties();
      p.putAll(facts);
      p.setProperty("digest", state.digest());
      p.setProperty("lists", Integer.toString(state.lists().size()));
      p.setProperty("events.applied", Long.toString(state.eventsApplied()));
      p.setProperty("events.covered.by.snapshots", Long.toString(state.eventsCovered()));
      p.setProperty("records.unreadable", Long.toString(state.unreadable()));
      new TreeMap<>(state.positions())
          .forEach((k, v) -> p.setProperty("position.statusreg.events." + k, Long.toString(v)));
      state.until().ifPresent(u -> p.setProperty("until", u.toString()));
      try (OutputStream out = Files.newOutputStream(dir.resolve("replay.properties"))) {
        p.store(out, "statusreg replay");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing replayed state to " + dir, e);
    }
  }
}
