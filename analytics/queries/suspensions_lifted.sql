-- Question: how many suspensions were later lifted, and after how long?
-- Columns:
--   issuer                    issuer id
--   suspensions               entries set to SUSPENDED (status 2)
--   lifted                    suspensions ended by a change back to VALID
--   revoked_after_suspension  suspensions ended by a revocation
--   median_seconds            median time from suspension to lift (exact quantile, upper median
--                             for an even count)
--   p90_seconds, max_seconds  90th percentile and longest time to lift
-- How to read it: suspensions - lifted - revoked_after_suspension are still suspended. The time
-- to lift is measured between an entry's suspension and its next change, ordered by Kafka
-- offset: all events of one list sit in one partition, in the order they were accepted.
SELECT
    issuer,
    countIf(new_status = 2) AS suspensions,
    countIf(old_status = 2 AND new_status = 0) AS lifted,
    countIf(old_status = 2 AND new_status = 1) AS revoked_after_suspension,
    quantileExactIf(0.5)(seconds_since_previous, old_status = 2 AND new_status = 0) AS median_seconds,
    quantileExactIf(0.9)(seconds_since_previous, old_status = 2 AND new_status = 0) AS p90_seconds,
    maxIf(seconds_since_previous, old_status = 2 AND new_status = 0) AS max_seconds
FROM
(
    SELECT
        issuer,
        old_status,
        new_status,
        dateDiff('second', lagInFrame(event_time) OVER entry, event_time) AS seconds_since_previous
    FROM status_events FINAL
    WINDOW entry AS (PARTITION BY list, idx ORDER BY kafka_offset ASC
                     ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
)
GROUP BY issuer
ORDER BY issuer;
