-- The other events of statusreg.events, one table with an event_type column:
--   list_created      bits, size, purpose, ttl_seconds, validity_seconds
--   indexes_allocated from_cursor, allocated (count), cursor (= from_cursor + allocated)
--   list_full         cursor (= size)
--   list_retired      no extra column
-- Columns that do not apply to a type hold 0 or ''. Duplicates collapse on event_id.
CREATE TABLE IF NOT EXISTS list_events
(
    event_time       DateTime64(3, 'UTC'),
    issuer           LowCardinality(String),
    list             String,
    event_type       LowCardinality(String) COMMENT 'list_created, indexes_allocated, list_full, list_retired',
    bits             UInt8 COMMENT 'list_created: bits per entry',
    size             UInt64 COMMENT 'list_created: number of entries',
    purpose          LowCardinality(String) COMMENT 'list_created: revocation, suspension or message',
    ttl_seconds      UInt32 COMMENT 'list_created: token ttl',
    validity_seconds UInt32 COMMENT 'list_created: token validity',
    from_cursor      UInt64 COMMENT 'indexes_allocated: first cursor handed out',
    allocated        UInt32 COMMENT 'indexes_allocated: number of indexes handed out',
    cursor           UInt64 COMMENT 'indexes_allocated, list_full: allocation cursor after the event',
    actor_kind       LowCardinality(String),
    actor            String,
    event_id         UUID,
    kafka_partition  UInt16,
    kafka_offset     UInt64,
    ingested_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(event_time)
ORDER BY (issuer, list, event_type, event_id);
