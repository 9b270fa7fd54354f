package io.statusreg.compaction.snapshots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.serde.SnapshotSerde;
import io.statusreg.streams.serde.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
  static ListSnapshot snapshot(long size, int setEntries) {
    Random r = new Random(7);
    StatusList entries = StatusList.empty(1, size);
    for (int i = 0; i < setEntries; i++) {
      entries = entries.with((long) (r.nextDouble() * size), 1);
    }
    ListMeta meta =
        new ListMeta(
            ListId.of("issuer", "big"),
            1,
            size,
            Duration.ofMinutes(5),
            Duration.ofDays(1),
            Purpose.REVOCATION,
            new IndexPermutation.Key(1, 2),
            size / 2,
            false,
            true,
            99,
            3,
            Instant.parse("2026-01-01T00:00:00.123456789Z"),
            Instant.parse("2026-01-02T00:00:00Z"));
    return new ListSnapshot(
        meta,
        entries,
        7,
        12345,
        12344,
        Optional.of(EventId.random()),
        List.of(EventId.random(), EventId.random()),
        Instant.parse("2026-01-03T00:00:00Z"));
  }

  static SnapshotSet read(List<SnapshotCodec.Entry> entries) {
    Map<String, byte[]> latest = new HashMap<>();
    entries.forEach(e -> latest.put(e.key(), e.value()));
    return SnapshotReader.assemble(latest);
  }

  @Test
  void aSmallListRoundTripsAsOneVersionedRecord() {
    ListSnapshot s = snapshot(100_000, 500);
    List<SnapshotCodec.Entry> entries = SnapshotCodec.encode(s, 1, 1024 * 1024);
    assertThat(entries).hasSize(1);
    assertThat(entries.getFirst().value()[0]).isEqualTo(SnapshotSerde.VERSION);
    ListSnapshot back = read(entries).lists().get(s.listId());
    assertThat(back).usingRecursiveComparison().isEqualTo(s);
  }

  @Test
  void anIdentifierListKeepsItsKindAndAStatusListsBodyHasNoTrailer() {
    ListSnapshot status = snapshot(100_000, 500);
    ListMeta m = status.meta();
    ListSnapshot identifiers =
        new ListSnapshot(
            new ListMeta(
                m.listId(),
                1,
                m.size(),
                m.ttl(),
                m.validity(),
                m.purpose(),
                m.permutationKey(),
                m.cursor(),
                m.full(),
                m.retired(),
                m.version(),
                m.ignored(),
                m.createdAt(),
                m.updatedAt(),
                ListKind.IDENTIFIER_LIST),
            status.entries(),
            status.partition(),
            status.nextOffset(),
            status.lastEventOffset(),
            status.lastEventId(),
            status.recentEventIds(),
            status.takenAt());
    ListSnapshot back =
        read(SnapshotCodec.encode(identifiers, 1, 1024 * 1024)).lists().get(m.listId());
    assertThat(back.meta().kind()).isEqualTo(ListKind.IDENTIFIER_LIST);
    assertThat(back).usingRecursiveComparison().isEqualTo(identifiers);
    // The kind trailer (tag, then the code as UTF) follows the pages of an identifier list only.
    byte[] statusBody = SnapshotCodec.rawBody(status);
    byte[] identifierBody = SnapshotCodec.rawBody(identifiers);
    int trailer = 1 + 2 + "identifier_list".length();
    assertThat(identifierBody).hasSize(statusBody.length + trailer);
    assertThat(java.util.Arrays.copyOf(identifierBody, statusBody.length)).isEqualTo(statusBody);
    assertThat(
            read(SnapshotCodec.encode(status, 1, 1024 * 1024))
                .lists()
                .get(m.listId())
                .meta()
                .kind())
        .isEqualTo(ListKind.STATUS_LIST);
  }

  @Test
  void aLargeListIsChunkedUnderTheValueLimitAndJoinedBack() {
    ListSnapshot s = snapshot(10_000_000, 200_000);
    List<SnapshotCodec.Entry> entries = SnapshotCodec.encode(s, 2, 64 * 1024);
    assertThat(entries.size()).isGreaterThan(2);
    assertThat(entries)
        .allSatisfy(e -> assertThat(e.value().length).isLessThanOrEqualTo(64 * 1024));
    ListSnapshot back = read(entries).lists().get(s.listId());
    assertThat(back.entries()).isEqualTo(s.entries());
    assertThat(back.meta()).isEqualTo(s.meta());
  }

  @Test
  void aChunkFromAnotherSnapshotIsReportedNotTrusted() {
    ListSnapshot s = snapshot(10_000_000, 200_000);
    List<SnapshotCodec.Entry> older = SnapshotCodec.encode(s, 1, 64 * 1024);
    List<SnapshotCodec.Entry> newer = SnapshotCodec.encode(s, 2, 64 * 1024);
    Map<String, byte[]> latest = new HashMap<>();
    newer.forEach(e -> latest.put(e.key(), e.value()));
    latest.put(older.getFirst().key(), older.getFirst().value());
    SnapshotSet set = SnapshotReader.assemble(latest);
    assertThat(set.lists()).isEmpty();
    assertThat(set.problems()).singleElement().asString().contains("another snapshot");
  }

  @Test
  void anUnknownFormatVersionIsRefused() {
    byte[] v = SnapshotCodec.encode(snapshot(1000, 3), 1, 1 << 20).getFirst().value();
    v[0] = 9;
    assertThatThrownBy(() -> SnapshotSerde.fromBytes(v))
        .hasMessageContaining("unsupported snapshot format version 9");
  }

  @Test
  void watermarksRoundTrip() {
    Watermark w =
        new Watermark(3, 42, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMinutes(10));
    SnapshotSet set = read(List.of(SnapshotCodec.encode(w)));
    assertThat(set.watermarks()).containsEntry(3, w);
  }
}
