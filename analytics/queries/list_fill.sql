-- Question: how full is each list, and when will it run out of indexes?
-- Columns:
--   list                 list key issuer/name
--   state                open, full or retired
--   size                 entries in the list
--   allocated            indexes handed out (the allocation cursor)
--   fill_pct             allocated / size in percent
--   created_at           when the list was created
--   last_allocation_at   when indexes were last handed out (NULL: never)
--   allocating_ms        milliseconds from creation to the last allocation
--   per_day              average allocation rate since the list was created, indexes per day
--   projected_full_at    open lists: last allocation + remaining / rate (NULL before any
--                        allocation); full lists: when they became full; retired lists: NULL
-- How to read it: the fullest lists first. A projection close to today means issuers will be
-- moved to a new list soon; create it ahead of time. The rate is an average over the list's life,
-- so a recent burst shows up slowly.
SELECT
    list,
    multiIf(countIf(event_type = 'list_retired') > 0, 'retired',
            countIf(event_type = 'list_full') > 0, 'full', 'open') AS state,
    maxIf(size, event_type = 'list_created') AS size,
    maxIf(cursor, event_type IN ('indexes_allocated', 'list_full')) AS allocated,
    round(100 * allocated / size, 2) AS fill_pct,
    minIf(event_time, event_type = 'list_created') AS created_at,
    maxIfOrNull(event_time, event_type = 'indexes_allocated') AS last_allocation_at,
    dateDiff('millisecond', created_at, last_allocation_at) AS allocating_ms,
    if(allocating_ms > 0, round(allocated * 86400000 / allocating_ms, 2), NULL) AS per_day,
    multiIf(state = 'full', maxIf(event_time, event_type = 'list_full'),
            state = 'open' AND allocating_ms > 0,
            addMilliseconds(last_allocation_at,
                            toInt64(ceil((size - allocated) * allocating_ms / allocated))),
            NULL) AS projected_full_at
FROM list_events FINAL
GROUP BY list
ORDER BY fill_pct DESC, list;
