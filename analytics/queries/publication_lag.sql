-- Question: how long does a change take to become visible in a signed token?
-- Columns:
--   issuer           issuer id, '(all)' for every issuer together
--   publications     publications seen (including refreshes)
--   refreshes        re-signings with no change (no lag to measure)
--   p50_ms, p90_ms, p99_ms, max_ms
--                    lag from the oldest change a publication made visible to its issue time,
--                    in milliseconds (exact quantiles: the value at rank floor(q * n))
-- How to read it: the lag is bounded below by publish.interval; a p99 far above it means the
-- publisher falls behind. Refreshes are counted but not in the quantiles.
SELECT
    if(total_row = 1, '(all)', toString(issuer_id)) AS issuer,
    publications,
    refreshes,
    p50_ms,
    p90_ms,
    p99_ms,
    max_ms
FROM
(
    SELECT
        issuer AS issuer_id,
        grouping(issuer) AS total_row,
        count() AS publications,
        countIf(lag_ms IS NULL) AS refreshes,
        quantileExact(0.5)(lag_ms) AS p50_ms,
        quantileExact(0.9)(lag_ms) AS p90_ms,
        quantileExact(0.99)(lag_ms) AS p99_ms,
        max(lag_ms) AS max_ms
    FROM list_publications FINAL
    GROUP BY issuer WITH ROLLUP
)
ORDER BY total_row, issuer;
