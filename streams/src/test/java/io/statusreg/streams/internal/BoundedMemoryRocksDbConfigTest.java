package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedMemoryRocksDbConfigTest {
  static {
    RocksDB.loadLibrary();
  }

  private static final Map<String, Object> CONFIG =
      Map.of(
          BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES,
          24L << 20,
          BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES,
          "8388608");

  private static Options options() {
    Options o = new Options();
    o.setTableFormatConfig(new BlockBasedTableConfig());
    return o;
  }

  @Test
  void storesShareOneCacheAndWriteBufferManagerSizedByTheConfigAndTheLastCloseFreesThem() {
    assertThat(BoundedMemoryRocksDbConfig.current()).as("no store open").isNull();
    BoundedMemoryRocksDbConfig first = new BoundedMemoryRocksDbConfig();
    BoundedMemoryRocksDbConfig second = new BoundedMemoryRocksDbConfig();
    try (Options a = options();
        Options b = options()) {
      first.setConfig("list-meta", a, CONFIG);
      var shared = BoundedMemoryRocksDbConfig.current();
      assertThat(shared.cacheBytes()).isEqualTo(24L << 20);
      assertThat(shared.writeBytes()).isEqualTo(8L << 20);
      assertThat(BoundedMemoryRocksDbConfig.sharedCacheBytes()).isEqualTo(24L << 20);
      assertThat(a.maxWriteBufferNumber()).isEqualTo(2);

      // A second store (another size in its config) uses the same objects.
      second.setConfig(
          "list-pages", b, Map.of(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, 99L << 20));
      var again = BoundedMemoryRocksDbConfig.current();
      assertThat(again.cache()).isSameAs(shared.cache());
      assertThat(again.writeBufferManager()).isSameAs(shared.writeBufferManager());
      assertThat(BoundedMemoryRocksDbConfig.users()).isEqualTo(2);

      first.close("list-meta", a);
      assertThat(shared.cache().isOwningHandle()).as("still used by one store").isTrue();
      second.close("list-pages", b);
      assertThat(shared.cache().isOwningHandle()).as("closed with its last user").isFalse();
      assertThat(shared.writeBufferManager().isOwningHandle()).isFalse();
      assertThat(BoundedMemoryRocksDbConfig.current()).isNull();
      second.close("list-pages", b); // an extra close changes nothing
      assertThat(BoundedMemoryRocksDbConfig.users()).isZero();
    }
  }

  @Test
  void theWriteBufferBudgetIsCappedByTheCache() {
    BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();
    try (Options o = options()) {
      setter.setConfig(
          "s",
          o,
          Map.of(
              BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, 2L << 20,
              BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, 64L << 20));
      assertThat(BoundedMemoryRocksDbConfig.current().writeBytes()).isEqualTo(2L << 20);
      setter.close("s", o);
    }
  }

  @Test
  void badSizesFailNamingTheKeyAndValue() {
    BoundedMemoryRocksDbConfig setter = new BoundedMemoryRocksDbConfig();
    try (Options o = options()) {
      assertThatThrownBy(
              () ->
                  setter.setConfig(
                      "s", o, Map.of(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, "12")))
          .hasMessageContaining(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES)
          .hasMessageContaining("'12'");
      assertThatThrownBy(
              () ->
                  setter.setConfig(
                      "s", o, Map.of(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, "lots")))
          .hasMessageContaining("'lots'");
      assertThat(BoundedMemoryRocksDbConfig.users()).isZero();
    }
  }
}
