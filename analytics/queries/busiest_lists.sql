-- Question: which lists change most?
-- Columns:
--   list            list key issuer/name
--   changes         status changes of its entries
--   revocations     changes to INVALID (1)
--   suspensions     changes to SUSPENDED (2)
--   reinstatements  changes back to VALID (0)
--   first_change, last_change   time of the first and the last change
-- How to read it: the ten lists with most changes, most first. A list far ahead of the others
-- is a hot key: its partition, publisher and verifiers' caches carry most of the load.
SELECT
    list,
    count() AS changes,
    countIf(new_status = 1) AS revocations,
    countIf(new_status = 2) AS suspensions,
    countIf(new_status = 0) AS reinstatements,
    min(event_time) AS first_change,
    max(event_time) AS last_change
FROM status_events FINAL
GROUP BY list
ORDER BY changes DESC, list
LIMIT 10;
