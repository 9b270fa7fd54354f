-- Every StatusChanged event of statusreg.events: one row per event id.
-- ReplacingMergeTree: the sorting key ends with event_id, and a replayed event (same list,
-- index and id) collapses into one row. Until a background merge has run, read it with FINAL
-- (or group by event_id) to count exactly.
CREATE TABLE IF NOT EXISTS status_events
(
    event_time      DateTime64(3, 'UTC') COMMENT 'when the registry accepted the change',
    issuer          LowCardinality(String) COMMENT 'issuer id (first part of the list key)',
    list            String COMMENT 'list key issuer/name',
    idx             UInt64 COMMENT 'entry index in the list',
    old_status      UInt8 COMMENT 'status code before (0 VALID, 1 INVALID, 2 SUSPENDED, 3, 12-15)',
    new_status      UInt8 COMMENT 'status code after',
    reason          LowCardinality(String) COMMENT 'reason code, e.g. key_compromise',
    actor_kind      LowCardinality(String) COMMENT 'issuer, operator or system',
    actor           String COMMENT 'authenticated subject of the actor',
    event_id        UUID COMMENT 'event id; duplicates collapse on it',
    kafka_partition UInt16 COMMENT 'partition of statusreg.events',
    kafka_offset    UInt64 COMMENT 'offset in that partition',
    ingested_at     DateTime64(3, 'UTC') COMMENT 'when the sink inserted the row'
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(event_time)
ORDER BY (issuer, list, idx, event_id);
