package dashboards

// latestRun picks the latest published run of the selected period.
const latestRun = "run_id = (SELECT argMax(run_id, started_at) FROM etl_run FINAL WHERE " + periodIs + " AND status = 'published')"

// operationsBoard is 运行监控: pipeline runs and quarantine from the
// warehouse (etl_run, quarantine), plus the scheduler's Prometheus panels
// (schedulerPanels).
func operationsBoard() board {
	runs := []panel{
		{
			kind: kindStat, title: "距最近一次成功发布",
			description: "当前时间与最近一次状态为 published 的运行结束时间之差; 超过 35 天变橙, 超过 62 天变红 (月度流水线)。",
			sql: lines(
				"SELECT toInt64(now()) - toInt64(max(finished_at)) AS `距最近成功`",
				"FROM etl_run FINAL",
				"WHERE status = 'published'",
			),
			columns: []string{"距最近成功"}, unit: "dtdurations",
			steps: []step{base("green"), at(35*86400, "orange"), at(62*86400, "red")}, width: 6, height: 6,
		},
		{
			kind: kindStat, title: "所选时间范围内失败的运行",
			description: "状态为 failed 的运行数 (失败时该期上一次发布保持不变)。",
			sql: lines(
				"SELECT countIf(status = 'failed') AS `失败运行`",
				"FROM etl_run FINAL",
				"WHERE $__timeFilter(started_at)",
			),
			columns: []string{"失败运行"}, steps: []step{base("green"), at(1, "red")}, width: 6, height: 6,
		},
		{
			kind: kindTimeSeries, title: "运行耗时",
			description: "每次成功运行从开始到发布的秒数。",
			sql: lines(
				"SELECT started_at AS time, toInt64(finished_at) - toInt64(started_at) AS `耗时`",
				"FROM etl_run FINAL",
				"WHERE status = 'published' AND $__timeFilter(started_at)",
				"ORDER BY started_at",
			),
			columns: []string{"time", "耗时"}, unit: "s", width: 12, height: 6,
		},
		{
			kind: kindTable, title: "最近的运行",
			description: "etl_run 表 (每次运行的最终状态): 每个数据源的读入行 = 接收行 + 隔离行。",
			sql: lines(
				"SELECT started_at AS `开始时间`, toString(period) AS `统计期`, job AS `作业`, status AS `状态`,",
				"       toInt64(finished_at) - toInt64(started_at) AS `耗时秒`,",
				"       arraySum(rows_in) AS `读入行`, arraySum(rows_accepted) AS `接收行`,",
				"       arraySum(rows_quarantined) AS `隔离行`, arraySum(rows_unmatched) AS `未匹配行`,",
				"       arrayStringConcat(missing_sources, ',') AS `缺失数据源`, error AS `错误`",
				"FROM etl_run FINAL",
				"WHERE $__timeFilter(started_at)",
				"ORDER BY started_at DESC, run_id",
				"LIMIT 100",
			),
			columns: []string{"开始时间", "统计期", "作业", "状态", "耗时秒", "读入行", "接收行", "隔离行", "未匹配行", "缺失数据源", "错误"},
			width:   24, height: 10,
		},
	}
	rows := []panel{
		{
			kind: kindBarChart, title: "各数据源行数 (所选统计期)",
			description: "所选统计期最近一次成功运行中每个数据源的接收行、隔离行和未匹配行 (未匹配为接收行中不在名册的)。",
			sql: lines(
				"SELECT source AS `数据源`, sum(accepted) AS `接收`, sum(quarantined) AS `隔离`, sum(unmatched) AS `未匹配`",
				"FROM etl_run FINAL",
				"ARRAY JOIN sources AS source, rows_accepted AS accepted, rows_quarantined AS quarantined, rows_unmatched AS unmatched",
				"WHERE "+periodIs+" AND "+latestRun,
				"GROUP BY source",
				"ORDER BY source",
			),
			columns: []string{"数据源", "接收", "隔离", "未匹配"}, width: 12, height: 9,
		},
		{
			kind: kindBarChart, title: "隔离原因 (所选统计期)",
			description: "quarantine 表: 所选统计期被隔离的行数, 按原因。",
			sql: lines(
				"SELECT reason_code AS `原因`, count() AS `行数`",
				"FROM quarantine",
				"WHERE "+periodIs,
				"GROUP BY reason_code",
				"ORDER BY `行数` DESC, `原因`",
			),
			columns: []string{"原因", "行数"}, width: 12, height: 9,
		},
		{
			kind: kindTimeSeries, title: "隔离行逐月走势",
			description: "每个统计期被隔离的行数, 按数据源。",
			sql: lines(
				"SELECT period AS time,",
				"       countIf(source = 'roster') AS `名册`, countIf(source = 'household_income') AS `家庭收入`,",
				"       countIf(source = 'education') AS `教育`, countIf(source = 'medical') AS `医保`,",
				"       countIf(source = 'civil') AS `民政`, countIf(source = 'employment') AS `就业`,",
				"       countIf(source = 'pension') AS `养老金`, countIf(source = 'sales') AS `销售`",
				"FROM quarantine",
				"WHERE $__dateFilter(period)",
				"GROUP BY period",
				"ORDER BY period",
			),
			columns: []string{"time", "名册", "家庭收入", "教育", "医保", "民政", "就业", "养老金", "销售"},
			stacked: true, width: 24, height: 8,
		},
	}
	return board{
		uid: "zengshou-operations", title: "运行监控",
		description: "流水线运行情况: 运行、耗时、各数据源行数、隔离原因和最近一次成功 (etl_run、quarantine 表); 调度器 (zengshou serve) 的 Prometheus 指标: 作业运行与结果、耗时、失败与重试、行数、下一次计划运行。",
		tags:        []string{"运维"}, from: planStart,
		variables: []variable{periodVariable},
		rows: []row{
			{title: "运行", panels: runs},
			{title: "行数与隔离", panels: rows},
			{title: "调度器 (Prometheus)", panels: schedulerPanels()},
		},
	}
}

// schedulerPanels read the metrics `zengshou serve` exports (jobs/metrics.go
// and the next-run collector of jobs/daemon.go) through the Prometheus data
// source (uid PrometheusUID, provisioned in provisioning/datasources/).
// Counts over the dashboard's range use increase(…[$__range]) at its end,
// which survives a restart of the daemon (its counters start at 0 for every
// job, source and reason, so a restart's first run is counted too).
func schedulerPanels() []panel {
	return []panel{
		{
			kind: kindStat, title: "距 ETL 最近一次成功 (调度器)",
			description: "当前时间与调度器中任一 ETL 作业 (etl-monthly、etl-watch、etl-catchup) 最近一次成功之差; 超过 35 天变橙, 超过 62 天变红。守护进程重启后从第一次成功起才有值。",
			promql:      []promTarget{{expr: `time() - max(zengshou_job_last_success_timestamp_seconds{job_name=~"etl-.*"})`, legend: "ETL"}},
			unit:        "dtdurations",
			steps:       []step{base("green"), at(35*86400, "orange"), at(62*86400, "red")}, width: 6, height: 6,
		},
		{
			kind: kindStat, title: "下一次计划运行 (按作业)",
			description: "调度器中每个定时作业的下一次运行时间 (北京时间的 cron 计划)。",
			promql:      []promTarget{{expr: `max by (job_name) (zengshou_job_next_run_timestamp_seconds) * 1000`, legend: "{{job_name}}"}},
			unit:        "dateTimeAsLocal", width: 6, height: 6,
		},
		{
			kind: kindStat, title: "最新发布的统计期 (调度器)",
			description: "调度器看到的最近一个已发布统计期 (YYYYMM)。",
			promql:      []promTarget{{expr: `max(zengshou_latest_published_period)`, legend: "统计期"}},
			unit:        "none", decimals: ptr(0), width: 6, height: 6,
		},
		{
			kind: kindStat, title: "所选时间范围内的失败与重试",
			description: "所选时间范围内调度器作业失败的次数, 以及因 ClickHouse 或网络的可重试错误而重试的次数。",
			promql: []promTarget{
				{expr: `round(sum(increase(zengshou_job_runs_total{status="failed"}[$__range])))`, legend: "失败"},
				{expr: `round(sum(increase(zengshou_job_retries_total[$__range])))`, legend: "重试"},
			},
			decimals: ptr(0), steps: []step{base("green"), at(1, "red")}, width: 6, height: 6,
		},
		{
			kind: kindTimeSeries, title: "作业运行次数 (按作业与结果)",
			description: "调度器每个作业的运行次数, 按结果 (published 发布、failed 失败、skipped 跳过)。",
			promql:      []promTarget{{expr: `sum by (job_name, status) (increase(zengshou_job_runs_total[$__rate_interval]))`, legend: "{{job_name}} {{status}}"}},
			decimals:    ptr(0), width: 12, height: 8,
		},
		{
			kind: kindBarGauge, title: "作业每次运行的耗时 (所选时间范围)",
			description: "所选时间范围内每个作业每次运行的平均耗时和 P95 (按直方图桶估计); 范围内没有运行的作业不显示。",
			promql: []promTarget{
				{
					expr: `sum by (job_name) (increase(zengshou_job_run_duration_seconds_sum[$__range]))` +
						` / (sum by (job_name) (increase(zengshou_job_run_duration_seconds_count[$__range])) > 0)`,
					legend: "{{job_name}} 平均",
				},
				{
					expr:   `histogram_quantile(0.95, sum by (job_name, le) (increase(zengshou_job_run_duration_seconds_bucket[$__range]))) > 0`,
					legend: "{{job_name}} P95",
				},
			},
			unit: "s", width: 12, height: 8,
		},
		{
			kind: kindBarGauge, title: "各数据源行数 (所选时间范围, 按结果)",
			description: "所选时间范围内调度器发布的运行中每个数据源的接收 (accepted)、隔离 (quarantined) 和未匹配 (unmatched, 属于接收) 行数。",
			promql:      []promTarget{{expr: `round(sum by (source, outcome) (increase(zengshou_rows_total[$__range])))`, legend: "{{source}} {{outcome}}"}},
			decimals:    ptr(0), width: 12, height: 10,
		},
		{
			kind: kindBarGauge, title: "隔离行按原因 (所选时间范围)",
			description: "所选时间范围内调度器发布的运行中被隔离的行数, 按原因代码。",
			promql:      []promTarget{{expr: `round(sum by (reason) (increase(zengshou_quarantined_rows_total[$__range])))`, legend: "{{reason}}"}},
			decimals:    ptr(0), width: 12, height: 10,
		},
		{
			kind: kindBarGauge, title: "省级目标完成进度 (调度器, 最新发布期)",
			description: "最新发布期每个有目标的省级指标的 实际值 / 目标值 (调度器每次发布后刷新)。",
			promql:      []promTarget{{expr: `max by (indicator) (zengshou_target_progress_ratio)`, legend: "{{indicator}}"}},
			unit:        "percentunit", min: ptr(0), max: ptr(1),
			steps: []step{base("red"), at(0.9, "orange"), at(1, "green")}, width: 24, height: 7,
		},
	}
}
