package io.statusreg.compaction.replay;

/** Told how a rebuild advances: events read so far out of the total the end offsets promise. */
public interface ReplayProgress {
  void update(long done, long total, boolean finished);

  ReplayProgress NONE = (done, total, finished) -> {};
}
