package dashboards

// latestRun picks the latest published run of the selected period.
const latestRun = "run_id = (SELECT argMax(run_id, started_at) FROM etl_run FINAL WHERE " + periodIs + " AND status = 'published')"

// operationsBoard is 运行监控: pipeline runs and quarantine from the
// warehouse (etl_run, quarantine), plus the scheduler's Prometheus panels
// once the scheduler exists (schedulerPanels).
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
		description: "流水线运行情况: 运行、耗时、各数据源行数、隔离原因和最近一次成功 (etl_run、quarantine 表); 调度器的 Prometheus 指标在调度器完成后加入。",
		tags:        []string{"运维"}, from: planStart,
		variables: []variable{periodVariable},
		rows: []row{
			{title: "运行", panels: runs},
			{title: "行数与隔离", panels: rows},
			{title: "调度器 (Prometheus)", panels: schedulerPanels()},
		},
	}
}

// schedulerPanels is the hook for the scheduler's Prometheus metrics: the
// scheduler (jobs/) does not exist yet, so there are no metric names to
// query. When it lands, add its panels here with the Prometheus data source
// (uid PrometheusUID, provisioned in provisioning/datasources/) and drop the
// placeholder; docs/dashboards.md lists what they should show.
func schedulerPanels() []panel {
	return []panel{{
		kind: kindText, title: "调度器指标 (待接入)",
		content: "调度器 (`zengshou serve`) 的 Prometheus 指标 (运行次数、耗时、最近成功时间) 将在调度器完成后加入本行;" +
			" 数据源 `" + PrometheusUID + "` 已在 provisioning 中配置。见 docs/dashboards.md。",
		width: 24, height: 3,
	}}
}
