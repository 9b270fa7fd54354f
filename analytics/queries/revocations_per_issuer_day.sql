-- Question: how many credentials did each issuer revoke per day, and why?
-- Columns:
--   day          calendar day (UTC) of the revocation
--   issuer       issuer id
--   reason       reason code given with the revocation (key_compromise, superseded, ...)
--   revocations  entries set to INVALID (status 1) that day for that reason
-- How to read it: one row per day, issuer and reason, busiest reason first within a day. Sum
-- the rows of a day and issuer for its total. Revocation is terminal, so every entry counts at
-- most once. FINAL collapses events the sink wrote twice after a crash.
SELECT
    toDate(event_time) AS day,
    issuer,
    reason,
    count() AS revocations
FROM status_events FINAL
WHERE new_status = 1
GROUP BY day, issuer, reason
ORDER BY day, issuer, revocations DESC, reason;
