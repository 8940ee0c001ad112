package dashboards

import "fmt"

// headline is one of the plan's three absolute targets.
type headline struct {
	code, name, column, unit string
	target                   float64
}

var headlines = []headline{
	{"EMPLOYED_PERSONS", "务工就业人数", "务工就业人数", "none", 1309000},
	{"HELP_SALES", "帮扶产品销售额", "帮扶产品销售额", "currencyCNY", 14000000000},
	{"VOCATIONAL_NEW_ENROLLMENT", "中高职新生", "中高职新生人数", "none", 20000},
}

func provinceValue(code, column string) string {
	return lines(
		"SELECT value AS `"+column+"`",
		"FROM indicator",
		"WHERE indicator_code = '"+code+"' AND region_level = 'province' AND "+periodIs,
	)
}

// targetsBoard is 目标追踪: the plan's headline targets.
func targetsBoard() board {
	var stats, cities []panel
	for _, h := range headlines {
		stats = append(stats, panel{
			kind: kindStat, title: h.name,
			description: fmt.Sprintf("全省年初至本期累计; 目标 %s (达到目标变绿)。", formatTarget(h)),
			sql:         provinceValue(h.code, h.column), columns: []string{h.column},
			unit: h.unit, steps: []step{base("red"), at(h.target, "green")}, width: 6, height: 5,
		})
		cities = append(cities, panel{
			kind: kindBarChart, title: "各市" + h.name,
			description: "所选统计期, 年初至本期累计, 按市 (受“市”筛选)。",
			sql: lines(
				"SELECT region_name AS `市`, value AS `"+h.column+"`",
				"FROM indicator",
				"WHERE indicator_code = '"+h.code+"' AND region_level = 'city' AND "+periodIs+" AND "+cityRowIs,
				"ORDER BY region_code",
			),
			columns: []string{"市", h.column}, unit: h.unit, width: 8, height: 9,
		})
	}
	stats = append(stats, panel{
		kind: kindBarGauge, title: "目标完成率",
		description: "三项绝对量目标的完成比例 (累计值 / 年度目标)。",
		sql: lines(
			"SELECT multiIf(indicator_code = 'EMPLOYED_PERSONS', '务工就业', indicator_code = 'HELP_SALES', '帮扶产品销售', '中高职新生') AS `指标`,",
			"       value / target AS `完成率`",
			"FROM indicator",
			"WHERE indicator_code IN ('EMPLOYED_PERSONS', 'HELP_SALES', 'VOCATIONAL_NEW_ENROLLMENT') AND region_level = 'province' AND "+periodIs,
			"ORDER BY indicator_code",
		),
		columns: []string{"指标", "完成率"}, unit: "percentunit", min: ptr(0), max: ptr(1),
		steps: []step{base("red"), at(0.5, "orange"), at(1, "green")}, width: 6, height: 5,
	})

	trend := panel{
		kind: kindTimeSeries, title: "逐月完成率与线性目标路径",
		description: "每月年初至本期累计值占年度目标的比例; 线性目标路径为 月份 / 12。",
		sql: lines(
			"SELECT period AS time,",
			"       maxIf(value / target, indicator_code = 'EMPLOYED_PERSONS') AS `务工就业`,",
			"       maxIf(value / target, indicator_code = 'HELP_SALES') AS `帮扶产品销售`,",
			"       maxIf(value / target, indicator_code = 'VOCATIONAL_NEW_ENROLLMENT') AS `中高职新生`,",
			"       toMonth(period) / 12 AS `线性目标路径`",
			"FROM indicator",
			"WHERE indicator_code IN ('EMPLOYED_PERSONS', 'HELP_SALES', 'VOCATIONAL_NEW_ENROLLMENT') AND region_level = 'province'",
			"  AND $__dateFilter(period)",
			"GROUP BY period",
			"ORDER BY period",
		),
		columns: []string{"time", "务工就业", "帮扶产品销售", "中高职新生", "线性目标路径"},
		unit:    "percentunit", min: ptr(0), width: 24, height: 9,
	}

	ratioSteps := []step{base("red"), at(0.85, "orange"), at(0.88, "yellow"), at(0.90, "green")}
	income := []panel{
		{
			kind: kindGauge, title: "人均纯收入与农村居民收入之比",
			description: "脱贫人口人均纯收入 (年化) / 当年全省农村居民人均可支配收入; 目标 2023 年 85%、2024 年 88%、2025 年 90%。",
			sql:         provinceValue("INCOME_RATIO_TO_RURAL", "收入比"), columns: []string{"收入比"},
			unit: "percentunit", min: ptr(0.5), max: ptr(1.2), steps: ratioSteps, width: 8, height: 7,
		},
		{
			kind: kindGauge, title: "有劳动力脱贫户年人均纯收入 1 万元以上占比",
			description: "有劳动力、非兜底户的名册人员中, 所在户年化人均纯收入 ≥ 10 000 元的比例; 2025 年目标 100%。",
			sql:         provinceValue("SHARE_ABOVE_10K", "1万元以上占比"), columns: []string{"1万元以上占比"},
			unit: "percentunit", min: ptr(0), max: ptr(1), steps: []step{base("red"), at(0.9, "orange"), at(1, "green")}, width: 8, height: 7,
		},
		{
			kind: kindGauge, title: "雨露计划毕业生就业升学率",
			description: "曾领雨露计划、年初至本期毕业的中职/高职毕业生中就业或升学的比例; 目标 90%。",
			sql:         provinceValue("YULU_GRADUATE_PLACEMENT", "就业升学率"), columns: []string{"就业升学率"},
			unit: "percentunit", min: ptr(0), max: ptr(1), steps: []step{base("red"), at(0.9, "green")}, width: 8, height: 7,
		},
		{
			kind: kindTimeSeries, title: "收入比逐月走势与当年目标",
			description: "全省收入比与当年目标 (85% / 88% / 90%)。",
			sql: lines(
				"SELECT period AS time, value AS `收入比`, target AS `当年目标`",
				"FROM indicator",
				"WHERE indicator_code = 'INCOME_RATIO_TO_RURAL' AND region_level = 'province' AND $__dateFilter(period)",
				"ORDER BY period",
			),
			columns: []string{"time", "收入比", "当年目标"}, unit: "percentunit", width: 12, height: 8,
		},
		{
			kind: kindBarChart, title: "各市收入比",
			description: "所选统计期各市收入比, 颜色按 85% / 88% / 90% 分段。",
			sql: lines(
				"SELECT region_name AS `市`, value AS `收入比`",
				"FROM indicator",
				"WHERE indicator_code = 'INCOME_RATIO_TO_RURAL' AND region_level = 'city' AND "+periodIs+" AND "+cityRowIs,
				"ORDER BY region_code",
			),
			columns: []string{"市", "收入比"}, unit: "percentunit", steps: ratioSteps, width: 12, height: 8,
		},
	}

	safety := []panel{
		{
			kind: kindGauge, title: "农村住房安全保障率",
			description: "本期住房安全数据有鉴定记录的名册户中, 现行鉴定不是 C级/D级 未竣工 的比例; 目标 100%。未交付住房安全数据时为 0 (complete = 0)。",
			sql:         provinceValue("HOUSING_SAFE_RATE", "住房安全保障率"), columns: []string{"住房安全保障率"},
			unit: "percentunit", min: ptr(0), max: ptr(1), steps: []step{base("red"), at(0.98, "orange"), at(1, "green")}, width: 12, height: 7,
		},
		{
			kind: kindGauge, title: "农村饮水安全达标率",
			description: "本期饮水安全数据有评估记录的名册户中, 水量、水质、用水方便、供水保证率 四项均达标的比例; 目标 100%。未交付饮水安全数据时为 0 (complete = 0)。",
			sql:         provinceValue("WATER_SAFE_RATE", "饮水安全达标率"), columns: []string{"饮水安全达标率"},
			unit: "percentunit", min: ptr(0), max: ptr(1), steps: []step{base("red"), at(0.98, "orange"), at(1, "green")}, width: 12, height: 7,
		},
	}

	return board{
		uid: "zengshou-targets", title: "目标追踪",
		description: "江西省脱贫人口增收三年行动 (2023—2025) 的核心目标: 务工就业、帮扶产品销售、中高职招生、收入比、1 万元以上占比和雨露计划就业升学。",
		tags:        []string{"目标"}, from: planStart,
		variables: []variable{periodVariable, cityVariable},
		rows: []row{
			{title: "三项绝对量目标", panels: stats},
			{title: "逐月进度", panels: []panel{trend}},
			{title: "各市", panels: cities},
			{title: "收入目标", panels: income},
			{title: "住房和饮水安全", panels: safety},
		},
	}
}

func formatTarget(h headline) string {
	if h.unit == "currencyCNY" {
		return fmt.Sprintf("%.0f 亿元", h.target/1e8)
	}
	return fmt.Sprintf("%.0f 人", h.target)
}
