-- 0006: sources delivered without a single row (a header-only file, an empty
-- table for the period) are recorded apart from the missing ones; the
-- indicators that need them are incomplete as for a missing source.
-- ClickHouse 18.16 ignores a COMMENT given with ADD COLUMN, so the comment is
-- also set with COMMENT COLUMN (harmless on current releases).

ALTER TABLE etl_run ADD COLUMN empty_sources Array(String) COMMENT '空交付数据源 sources delivered with no rows (header only); their indicators are incomplete' AFTER missing_sources;
ALTER TABLE etl_run COMMENT COLUMN empty_sources '空交付数据源 sources delivered with no rows (header only); their indicators are incomplete';
