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
 * #WRITE_BUFFER_BYTES} in the Streams config (the write buffer budget is capped at the cache size).
 *
 * <p>The shared cache and manager are reference-counted: the first store (or window segment) that
 * opens creates them with the sizes of its config, every store that opens uses them, and the last
 * store to close closes them (releasing their native memory), so that a later open starts again
 * from its own config.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {
  public static final String BLOCK_CACHE_BYTES = "statusreg.rocksdb.block.cache.bytes";
  public static final String WRITE_BUFFER_BYTES = "statusreg.rocksdb.write.buffer.bytes";

  private static final double HIGH_PRIORITY_POOL_RATIO = 0.1;

  private static Cache cache;
  private static WriteBufferManager writeBufferManager;
  private static long cacheBytes;
  private static long writeBufferBytes;
  private static int users;

  /** The shared objects, as one store sees them (visible for tests). */
  record Shared(
      Cache cache, WriteBufferManager writeBufferManager, long cacheBytes, long writeBytes) {}

  private static synchronized Shared acquire(Map<String, Object> configs) {
    if (cache == null) {
      cacheBytes = bytes(configs, BLOCK_CACHE_BYTES, 64L << 20);
      writeBufferBytes = Math.min(bytes(configs, WRITE_BUFFER_BYTES, 32L << 20), cacheBytes);
      cache = new LRUCache(cacheBytes, -1, false, HIGH_PRIORITY_POOL_RATIO);
      writeBufferManager = new WriteBufferManager(writeBufferBytes, cache);
    }
    users++;
    return current();
  }

  private static synchronized void release() {
    if (users == 0) {
      return;
    }
    users--;
    if (users == 0) {
      writeBufferManager.close();
      cache.close();
      writeBufferManager = null;
      cache = null;
      cacheBytes = 0;
      writeBufferBytes = 0;
    }
  }

  /** The shared objects, or {@code null} when no store is open (visible for tests). */
  static synchronized Shared current() {
    return cache == null
        ? null
        : new Shared(cache, writeBufferManager, cacheBytes, writeBufferBytes);
  }

  /** Stores (and window segments) currently using the shared objects. */
  static synchronized int users() {
    return users;
  }

  /** The size of the shared block cache, or 0 when no store is open. */
  public static synchronized long sharedCacheBytes() {
    return cache == null ? 0 : cacheBytes;
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Shared shared = acquire(configs);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(shared.writeBufferManager());
    options.setTableFormatConfig(table);
    // Few, small memtables per store: the manager caps their sum anyway.
    options.setMaxWriteBufferNumber(2);
  }

  @Override
  public void close(String storeName, Options options) {
    // Streams closes the store's Options; the shared objects go when their last user closes.
    release();
  }

  private static long bytes(Map<String, Object> configs, String key, long fallback) {
    Object v = configs.get(key);
    if (v == null) {
      return fallback;
    }
    long parsed;
    try {
      parsed = v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad value '" + v + "' for " + key + ": not a number");
    }
    if (parsed < 1 << 20) {
      throw new IllegalArgumentException(
          "bad value '" + v + "' for " + key + ": must be at least 1 MiB");
    }
    return parsed;
  }
}
