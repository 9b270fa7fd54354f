package io.statusreg.analytics.sink;

/**
 * Points in the sink's loop where tests can interfere. Production uses {@link #NONE}.
 *
 * <p>{@link #afterInsert(int)} runs after a batch is in ClickHouse and before its offsets are
 * committed: throwing there is a crash between insert and commit, the case that must not double
 * count.
 */
public interface SinkHooks {
  SinkHooks NONE = rows -> {};

  /** Called with the batch's record count after the insert succeeded, before the commit. */
  void afterInsert(int records);
}
