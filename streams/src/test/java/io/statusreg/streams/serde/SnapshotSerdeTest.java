package io.statusreg.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.RegistryException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotSerdeTest {
  static SnapshotRecord random(Random r) {
    byte[] bytes = new byte[r.nextInt(300)];
    r.nextBytes(bytes);
    return switch (r.nextInt(4)) {
      case 0 -> new SnapshotRecord.State(r.nextLong(), bytes);
      case 1 -> new SnapshotRecord.Manifest(r.nextLong(), r.nextInt(), r.nextInt(), r.nextInt());
      case 2 -> new SnapshotRecord.Chunk(r.nextLong(), r.nextInt(1000), bytes);
      default ->
          new SnapshotRecord.Mark(
              new Watermark(
                  r.nextInt(1000),
                  r.nextLong(Long.MAX_VALUE),
                  Instant.ofEpochSecond(r.nextLong(4_000_000_000L), r.nextInt(1_000_000_000)),
                  Duration.ofMillis(r.nextLong(1L << 40))));
    };
  }

  @Test
  void everyRecordKindRoundTripsThroughTheKafkaSerde() {
    SnapshotSerde serde = new SnapshotSerde();
    Random r = new Random(20260301);
    for (int i = 0; i < 2000; i++) {
      SnapshotRecord rec = random(r);
      byte[] wire = serde.serializer().serialize("statusreg.snapshots", rec);
      assertThat(wire[0]).isEqualTo(SnapshotSerde.VERSION);
      assertThat(serde.deserializer().deserialize("statusreg.snapshots", wire)).isEqualTo(rec);
    }
    assertThat(serde.serializer().serialize("t", null)).isNull();
  }

  @Test
  void randomAndTruncatedBytesFailAsInvalidInputNeverAsARawException() {
    Random r = new Random(99);
    for (int i = 0; i < 5000; i++) {
      byte[] wire;
      if (i % 2 == 0) {
        wire = new byte[r.nextInt(40)];
        r.nextBytes(wire);
      } else {
        byte[] whole = SnapshotSerde.toBytes(random(r));
        wire = Arrays.copyOf(whole, r.nextInt(whole.length));
      }
      try {
        SnapshotSerde.fromBytes(wire);
      } catch (RegistryException.InvalidInput expected) {
        // the only failure allowed
      }
    }
    assertThatThrownBy(() -> SnapshotSerde.fromBytes(new byte[] {2, 1}))
        .isInstanceOf(SnapshotFormatException.class)
        .hasMessageContaining("version 2");
  }
}
