-- Identifier lists (ISO/IEC 18013-5) beside status lists. Every table says which kind of list a
-- row is about, and a revoked identifier's row in status_events holds the identifier (its slot is
-- idx, its change 0 -> 1).
-- Rows inserted before this migration hold list_kind '' (unknown: the events of that release did
-- not say) in status_events and list_events; list_publications derives it from bits (0 is an
-- identifier list's publication).
ALTER TABLE status_events
    ADD COLUMN IF NOT EXISTS list_kind LowCardinality(String) DEFAULT '' COMMENT 'status_list or identifier_list; empty for rows inserted before V4',
    ADD COLUMN IF NOT EXISTS identifier String DEFAULT '' COMMENT 'identifier_list: the revoked identifier, 16 bytes as 32 lowercase hex digits (unhex() gives the bytes); empty for status lists';

ALTER TABLE list_events
    ADD COLUMN IF NOT EXISTS list_kind LowCardinality(String) DEFAULT '' COMMENT 'list_created: status_list or identifier_list; empty for other event types and rows inserted before V4';

ALTER TABLE list_publications
    ADD COLUMN IF NOT EXISTS list_kind LowCardinality(String) DEFAULT if(bits = 0, 'identifier_list', 'status_list') COMMENT 'status_list or identifier_list (bits 0)';
