package io.statusreg.streams.serde;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot run's coverage of one {@code statusreg.events} partition: every list on the partition
 * has a snapshot that covers every event below {@code offset}. Events below the smallest watermark
 * may expire; replay starts each partition at its watermark.
 *
 * @param interval the snapshot interval the writer ran with (zero for a one-off run)
 */
public record Watermark(int partition, long offset, Instant takenAt, Duration interval) {}
