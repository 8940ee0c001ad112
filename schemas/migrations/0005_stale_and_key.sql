-- 0005: the warehouse never silently serves figures built on superseded
-- data, and refuses a run under another pseudonymisation key.
-- A published period whose inputs (earlier periods' publications) were
-- replaced after it was computed is stale: its indicator rows carry
-- stale = 1 and stale_period lists it, until it is re-run.
-- key_fingerprint keeps HMAC-SHA256(key, 'zengshou key fingerprint v1') of
-- the key of the first run (never the key).
-- ClickHouse 18.16 ignores a COMMENT given with ADD COLUMN, so the comment
-- is also set with COMMENT COLUMN (harmless on current releases).

ALTER TABLE indicator ADD COLUMN stale UInt8 DEFAULT 0 COMMENT '数据过期 1 = computed from earlier periods since re-published (see stale_period); re-run the period' AFTER complete;
ALTER TABLE indicator COMMENT COLUMN stale '数据过期 1 = computed from earlier periods since re-published (see stale_period); re-run the period';

CREATE TABLE IF NOT EXISTS stale_period (
    period Date COMMENT '统计期 a published period (first day)',
    stale UInt8 COMMENT '过期 1 = built on superseded data; 0 = re-published since (latest version wins: FINAL)',
    superseded_by String COMMENT '替换批次 run_id of the publication of an earlier period that superseded its inputs',
    superseded_period Date COMMENT '被替换统计期 the earlier period that run published',
    marked_at DateTime COMMENT '标记时间 UTC',
    version UInt64 COMMENT '版本 row version; the latest row of a period wins (query with FINAL)'
) ENGINE = ReplacingMergeTree(version) ORDER BY period;

CREATE TABLE IF NOT EXISTS key_fingerprint (
    fingerprint String COMMENT '密钥指纹 hex HMAC-SHA256 of a fixed text under the pseudonymisation key; never the key',
    run_id String COMMENT '批次 the run that recorded it (the first run of the warehouse)',
    recorded_at DateTime COMMENT '记录时间 UTC'
) ENGINE = MergeTree() ORDER BY recorded_at;
