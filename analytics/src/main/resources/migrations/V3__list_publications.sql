-- Every signed publication seen on statusreg.tokens: one row per (list, version).
-- statusreg.tokens is compacted: a sink that falls behind by more than the compaction lag sees
-- only the newest version of a list, so versions can be missing, never duplicated (FINAL).
CREATE TABLE IF NOT EXISTS list_publications
(
    list             String COMMENT 'list key issuer/name',
    issuer           LowCardinality(String),
    version          UInt64 COMMENT 'publication number of the list, strictly increasing',
    published_at     DateTime64(3, 'UTC') COMMENT 'iat of the token',
    expires_at       DateTime64(3, 'UTC') COMMENT 'exp of the token',
    ttl_seconds      UInt32,
    bits             UInt8,
    entries          UInt64 COMMENT 'list size',
    allocated        UInt64 COMMENT 'indexes handed out at publication',
    valid            UInt64 COMMENT 'entries with status 0',
    revoked          UInt64 COMMENT 'entries with status 1 (INVALID)',
    suspended        UInt64 COMMENT 'entries with status 2',
    other            UInt64 COMMENT 'entries with an application-specific status',
    jwt_bytes        UInt32 COMMENT 'size of the JWT token',
    cwt_bytes        UInt32 COMMENT 'size of the CWT token',
    w3c_bytes        UInt32 COMMENT 'size of the W3C credential (0 when none)',
    kid              String,
    oldest_change_at Nullable(DateTime64(3, 'UTC')) COMMENT 'oldest event made visible; NULL for a refresh',
    lag_ms           Nullable(Int64) COMMENT 'published_at - oldest_change_at; NULL for a refresh',
    kafka_partition  UInt16,
    kafka_offset     UInt64,
    ingested_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(published_at)
ORDER BY (list, version);
