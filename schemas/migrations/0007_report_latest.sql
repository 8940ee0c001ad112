-- 0007: the report table keeps one logical row per (kind, period): a
-- rebuilt report replaces its row (ReplacingMergeTree on version; query
-- with FINAL). Adds the summary and the runs the report was built from.
-- The table was written by nothing before this migration, so it is
-- recreated rather than altered (an engine cannot be changed in place).

DROP TABLE IF EXISTS report;
CREATE TABLE report (
    period Date COMMENT '统计期 reporting month (first day); a quarterly report carries its last month',
    kind String COMMENT '类型 monthly/quarterly',
    files Array(String) COMMENT '文件 report files written (absolute paths)',
    generated_at DateTime COMMENT '生成时间 UTC',
    summary String COMMENT '摘要 the Chinese summary text sent to leaders',
    source_runs Array(String) COMMENT '数据批次 etl_run.run_id of each month the report reads',
    version UInt64 COMMENT '版本 row version (generation time in nanoseconds); the latest row of (kind, period) wins (query with FINAL)'
) ENGINE = ReplacingMergeTree(version) PARTITION BY toYear(period) ORDER BY (kind, period);
