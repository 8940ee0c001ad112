package dashboards

// severityColumns counts findings by severity as three columns.
const severityColumns = "countIf(severity = 'high') AS `高`, countIf(severity = 'medium') AS `中`, countIf(severity = 'low') AS `低`"

// findingsBoard is 数据比对与预警: cross-department findings.
func findingsBoard() board {
	where := "WHERE " + periodIs + " AND " + inRegion("county_code")
	panels := []panel{
		{
			kind: kindBarChart, title: "按规则",
			description: "所选统计期各比对规则的发现数 (规则含义见数据字典)。",
			sql: lines(
				"SELECT rule_code AS `规则`, count() AS `发现数`",
				"FROM discrepancy",
				where,
				"GROUP BY rule_code",
				"ORDER BY `发现数` DESC, `规则`",
			),
			columns: []string{"规则", "发现数"}, width: 12, height: 10,
		},
		{
			kind: kindPie, title: "按严重程度",
			description: "所选统计期发现数按严重程度。",
			sql: lines(
				"SELECT multiIf(severity = 'high', '高', severity = 'medium', '中', '低') AS `严重程度`, count() AS `发现数`",
				"FROM discrepancy",
				where,
				"GROUP BY severity",
				"ORDER BY severity",
			),
			columns: []string{"严重程度", "发现数"}, width: 6, height: 10,
		},
		{
			kind: kindBarChart, title: "按市",
			description: "所选统计期各市发现数, 按严重程度堆叠。",
			sql: lines(
				"SELECT city_name AS `市`, "+severityColumns,
				"FROM discrepancy",
				"ANY LEFT JOIN (SELECT county_code, city_code, city_name FROM dim_county) AS c USING county_code",
				where,
				"GROUP BY city_code, city_name",
				"ORDER BY city_code",
			),
			columns: []string{"市", "高", "中", "低"}, stacked: true, width: 6, height: 10,
		},
		{
			kind: kindTimeSeries, title: "发现数逐月走势",
			description: "每个统计期的发现数, 按严重程度。",
			sql: lines(
				"SELECT period AS time, "+severityColumns,
				"FROM discrepancy",
				"WHERE $__dateFilter(period) AND "+inRegion("county_code"),
				"GROUP BY period",
				"ORDER BY period",
			),
			columns: []string{"time", "高", "中", "低"}, width: 24, height: 8,
		},
		{
			kind: kindTable, title: "高风险发现 (所选统计期)",
			description: "严重程度为高的发现, 最多 200 条; 只显示脱敏身份证号 (前 6 位和后 4 位), 户级发现显示户主的脱敏号码。",
			sql: lines(
				// The finding's own masked IDs (migration 0009): no join
				// with the period's 3.4 million person_month rows.
				"SELECT rule_code AS `规则`, county_code AS `县代码`, if(id_masked = '', head_id_masked, id_masked) AS `身份证号(脱敏)`, detail AS `说明`",
				"FROM discrepancy",
				where+" AND severity = 'high'",
				"ORDER BY `规则`, `县代码`, household_key, `身份证号(脱敏)`, `说明`",
				"LIMIT 200",
			),
			columns: []string{"规则", "县代码", "身份证号(脱敏)", "说明"}, width: 24, height: 12,
		},
	}
	return board{
		uid: "zengshou-findings", title: "数据比对与预警",
		description: "部门数据比对发现 (discrepancy 表): 按规则、严重程度和市, 逐月走势, 以及最新的高风险发现 (仅脱敏信息)。",
		tags:        []string{"预警"}, from: planStart,
		variables: []variable{periodVariable, cityVariable, countyVariable},
		rows:      []row{{title: "比对发现", panels: panels}},
	}
}
