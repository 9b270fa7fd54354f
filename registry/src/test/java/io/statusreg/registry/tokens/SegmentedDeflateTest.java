package io.statusreg.registry.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class SegmentedDeflateTest {

  record Write(long index, int value) {}

  record Scenario(int bits, long size, int level, List<Write> writes, List<Write> more) {}

  static Gen<Scenario> scenarios() {
    return Gen.elementOf(1, 2, 4, 8)
        .flatMap(
            bits ->
                Gen.oneOf(
                        Gen.longs(1, 200),
                        Gen.longs(1, 5L * StatusList.PAGE_BYTES * 8 / bits),
                        Gen.longs(1, 300L * StatusList.PAGE_BYTES * 8 / bits))
                    .flatMap(
                        size -> {
                          long perPage = StatusList.PAGE_BYTES * 8L / bits;
                          Gen<Long> index =
                              Gen.oneOf(
                                  Gen.longs(0, size - 1),
                                  Gen.elementOf(0L, size - 1),
                                  Gen.longs(0, size - 1)
                                      .map(i -> Math.min(size - 1, (i / perPage) * perPage)));
                          Gen<Integer> value = Gen.ints(0, (1 << bits) - 1);
                          Gen<Write> write = r -> new Write(index.next(r), value.next(r));
                          Gen<Integer> level = Gen.elementOf(0, 1, 6, 9);
                          return r ->
                              new Scenario(
                                  bits,
                                  size,
                                  level.next(r),
                                  write.list(0, 40).next(r),
                                  write.list(0, 5).next(r));
                        }));
  }

  private static StatusList apply(StatusList list, List<Write> writes) {
    for (Write w : writes) {
      list = list.with(w.index(), w.value());
    }
    return list;
  }

  @Test
  void theConcatenatedStreamsInflateToExactlyTheListWithTwoIndependentReaders() {
    Property.forAll(
        "segmentedZlibAndGzipInflateToTheList",
        150,
        scenarios(),
        s -> {
          SegmentedDeflate deflate = new SegmentedDeflate(s.level());
          StatusList list = apply(StatusList.empty(s.bits(), s.size()), s.writes());
          check(deflate, list);
          // the next version, through the cache of the first
          check(deflate, apply(list, s.more()));
        });
  }

  private static void check(SegmentedDeflate deflate, StatusList list) throws Exception {
    byte[] packed = list.toBytes();
    byte[] zlib = deflate.zlib(list);
    assertThat(StatusListEncoding.inflate(zlib, packed.length)).isEqualTo(packed);
    assertThat(Puff.zlib(zlib)).isEqualTo(packed);
    assertThat(StatusListEncoding.decompressUpTo(zlib, list.bits(), list.size() + 64).toBytes())
        .startsWith(packed);

    byte[] gzip = deflate.gzip(list);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      assertThat(in.readAllBytes()).isEqualTo(packed);
    }
    assertThat(Puff.gzip(gzip)).isEqualTo(packed);
  }

  @Test
  void republishingAfterOneChangeRecompressesOnlyThatPage() {
    StatusList list = StatusList.empty(8, 10_000_000);
    for (long i = 0; i < 10_000_000; i += 9_973) {
      list = list.with(i, (int) (i % 200) + 1);
    }
    SegmentedDeflate deflate = new SegmentedDeflate(6);
    deflate.zlib(list);
    long before = deflate.segmentsCompressed();

    StatusList changed = list.with(5_000_000, 3);
    byte[] zlib = deflate.zlib(changed);

    assertThat(deflate.segmentsCompressed() - before).isEqualTo(1);
    assertThat(StatusListEncoding.inflate(zlib, changed.byteLength())).isEqualTo(changed.toBytes());
  }

  @Test
  void aMostlyZeroListStaysCloseToOneWholeDeflate() {
    StatusList list = StatusList.empty(1, 100_000_000).with(12_345, 1).with(99_999_999, 1);

    byte[] segmented = new SegmentedDeflate(6).zlib(list);
    byte[] whole = StatusListEncoding.PUBLICATION.compress(list);

    assertThat(segmented.length).isLessThan(whole.length * 2 + 256);
  }

  @Test
  void checksumCombinationAgreesWithOnePassOverTheConcatenation() {
    Property.forAll(
        "checksumCombination",
        300,
        r -> new byte[][] {Gen.bytes(0, 3000).next(r), Gen.bytes(0, 70_000).next(r)},
        parts -> {
          byte[] a = parts[0];
          byte[] b = parts[1];
          byte[] ab = new byte[a.length + b.length];
          System.arraycopy(a, 0, ab, 0, a.length);
          System.arraycopy(b, 0, ab, a.length, b.length);

          assertThat(SegmentedDeflate.adler32Combine(adler(a), adler(b), b.length))
              .isEqualTo(adler(ab));
          assertThat(new SegmentedDeflate(6).crc32Combine(crc(a), crc(b), b.length))
              .isEqualTo(crc(ab));
        });
  }

  private static int adler(byte[] b) {
    Adler32 a = new Adler32();
    a.update(b);
    return (int) a.getValue();
  }

  private static int crc(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return (int) c.getValue();
  }
}
