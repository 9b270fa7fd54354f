package io.statusreg.streams.internal;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store in the process: one shared LRU block cache (index and
 * filter blocks included, pinned at high priority) and one {@link WriteBufferManager} that charges
 * memtables to that cache. Sizes come from {@link #BLOCK_CACHE_BYTES} and {@link
 * #WRITE_BUFFER_BYTES} in the Streams config; the first store opened in the process fixes them.
 *
 * <p>The shared cache and manager live as long as the process (several Streams instances in one JVM
 * share them) and are never closed by a store's {@link #close}; they are released at exit.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {
  public static final String BLOCK_CACHE_BYTES = "statusreg.rocksdb.block.cache.bytes";
  public static final String WRITE_BUFFER_BYTES = "statusreg.rocksdb.write.buffer.bytes";

  private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;
  private static long cacheBytes;

  private static synchronized void ensureShared(Map<String, Object> configs) {
    if (cache != null) {
      return;
    }
    cacheBytes = bytes(configs, BLOCK_CACHE_BYTES, 64L << 20);
    long writeBytes = Math.min(bytes(configs, WRITE_BUFFER_BYTES, 32L << 20), cacheBytes);
    cache = new LRUCache(cacheBytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
    writeBufferManager = new WriteBufferManager(writeBytes, cache);
  }

  /** The size of the shared block cache, or 0 before the first store opened. */
  public static synchronized long sharedCacheBytes() {
    return cache == null ? 0 : cacheBytes;
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    ensureShared(configs);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(cache);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(writeBufferManager);
    options.setTableFormatConfig(table);
    // Few, small memtables per store: the manager caps their sum anyway.
    options.setMaxWriteBufferNumber(2);
  }

  @Override
  public void close(String storeName, Options options) {
    // Nothing per store: the cache and the write buffer manager are shared by every store.
  }

  private static long bytes(Map<String, Object> configs, String key, long fallback) {
    Object v = configs.get(key);
    if (v == null) {
      return fallback;
    }
    long parsed = v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
    if (parsed < 1 << 20) {
      throw new IllegalArgumentException(key + " must be at least 1 MiB, got " + parsed);
    }
    return parsed;
  }
}
