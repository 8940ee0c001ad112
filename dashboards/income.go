package dashboards

import "strings"

// component is an income component of household_year.
type component struct{ column, name string }

var components = []component{
	{"wage_income", "工资性收入"},
	{"business_net", "经营净收入"},
	{"property_income", "财产性收入"},
	{"transfer_income", "转移性收入"},
}

// perCapitaComponents selects each component as an annualized per-capita
// amount over the grouped households: Σ component / Σ household_size × 12 / m,
// the way PER_CAPITA_NET_INCOME is computed.
func perCapitaComponents() string {
	parts := make([]string, len(components))
	for i, c := range components {
		parts[i] = "       toFloat64(sum(" + c.column + ")) * 12 / any(months_elapsed) / sum(household_size) AS `" + c.name + "`"
	}
	return strings.Join(parts, ",\n")
}

func componentNames(first ...string) []string {
	out := append([]string(nil), first...)
	for _, c := range components {
		out = append(out, c.name)
	}
	return out
}

// incomeBoard is 收入结构: per-capita net income by component and region.
func incomeBoard() board {
	const scope = "is_poverty_alleviated = 1"
	structure := []panel{
		{
			kind: kindTimeSeries, title: "人均纯收入构成 (逐月, 年化)",
			description: "脱贫人口户年初至本期的人均纯收入按来源堆叠, 年化 (× 12 / 月数); 受“市”“县”筛选。",
			sql: lines(
				"SELECT period AS time,",
				perCapitaComponents(),
				"FROM household_year",
				"WHERE "+scope+" AND $__dateFilter(period) AND "+cityIs+" AND "+countyIs,
				"GROUP BY period",
				"ORDER BY period",
			),
			columns: componentNames("time"), unit: "currencyCNY", stacked: true, width: 24, height: 9,
		},
		{
			kind: kindBarChart, title: "各市人均纯收入构成",
			description: "所选统计期, 脱贫人口户人均纯收入 (年化) 按来源堆叠, 按市。",
			sql: lines(
				"SELECT city_name AS `市`,",
				perCapitaComponents(),
				"FROM household_year",
				"ANY LEFT JOIN (SELECT city_code, any(city_name) AS city_name FROM dim_county GROUP BY city_code) AS c USING city_code",
				"WHERE "+scope+" AND "+periodIs+" AND "+cityIs,
				"GROUP BY city_code, city_name",
				"ORDER BY city_code",
			),
			columns: componentNames("市"), unit: "currencyCNY", stacked: true, width: 12, height: 10,
		},
		{
			kind: kindBarChart, title: "各县人均纯收入构成",
			description: "所选统计期, 脱贫人口户人均纯收入 (年化) 按来源堆叠, 按县 (选择市或县以缩小范围)。",
			sql: lines(
				"SELECT county_name AS `县`,",
				perCapitaComponents(),
				"FROM household_year",
				"ANY LEFT JOIN (SELECT county_code, county_name FROM dim_county) AS c USING county_code",
				"WHERE "+scope+" AND "+periodIs+" AND "+cityIs+" AND "+countyIs,
				"GROUP BY county_code, county_name",
				"ORDER BY county_code",
			),
			columns: componentNames("县"), unit: "currencyCNY", stacked: true, width: 12, height: 10,
		},
	}
	groups := []panel{
		{
			kind: kindTimeSeries, title: "重点帮扶县、易地搬迁户与全省人均纯收入",
			description: "PER_CAPITA_NET_INCOME 指标 (年化): 全省、25 个重点帮扶县、易地搬迁户。",
			sql: lines(
				"SELECT period AS time,",
				"       maxIf(value, region_level = 'province') AS `全省`,",
				"       maxIf(value, region_code = 'KEY_COUNTIES') AS `重点帮扶县`,",
				"       maxIf(value, region_code = 'RELOCATED') AS `易地搬迁户`",
				"FROM indicator",
				"WHERE indicator_code = 'PER_CAPITA_NET_INCOME' AND region_level IN ('province', 'group') AND $__dateFilter(period)",
				"GROUP BY period",
				"ORDER BY period",
			),
			columns: []string{"time", "全省", "重点帮扶县", "易地搬迁户"}, unit: "currencyCNY", width: 12, height: 9,
		},
		{
			kind: kindBarGauge, title: "所选统计期人均纯收入: 群组与全省",
			description: "所选统计期的 PER_CAPITA_NET_INCOME (年化)。",
			sql: lines(
				"SELECT multiIf(region_level = 'province', '全省', region_code = 'KEY_COUNTIES', '重点帮扶县', '易地搬迁户') AS `范围`,",
				"       value AS `人均纯收入`",
				"FROM indicator",
				"WHERE indicator_code = 'PER_CAPITA_NET_INCOME' AND region_level IN ('province', 'group') AND "+periodIs,
				"ORDER BY region_level DESC, region_code",
			),
			columns: []string{"范围", "人均纯收入"}, unit: "currencyCNY", width: 12, height: 9,
		},
		{
			kind: kindTable, title: "各县人均纯收入",
			description: "所选统计期各县 PER_CAPITA_NET_INCOME (年化, 元/人) 与收入比, 由低到高; 数据完整 = 0 表示有数据源缺失。",
			sql: lines(
				"SELECT region_code AS `县代码`, region_name AS `县`, round(value) AS `人均纯收入`, complete AS `数据完整`",
				"FROM indicator",
				"WHERE indicator_code = 'PER_CAPITA_NET_INCOME' AND region_level = 'county' AND "+periodIs+" AND "+inRegion("region_code"),
				"ORDER BY value, region_code",
			),
			columns: []string{"县代码", "县", "人均纯收入", "数据完整"}, width: 24, height: 10,
		},
	}
	return board{
		uid: "zengshou-income", title: "收入结构",
		description: "脱贫人口户人均纯收入的构成 (工资性、经营净、财产性、转移性), 按市、县; 重点帮扶县和易地搬迁户与全省对比。",
		tags:        []string{"收入"}, from: planStart,
		variables: []variable{periodVariable, cityVariable, countyVariable},
		rows: []row{
			{title: "收入构成", panels: structure},
			{title: "重点群体", panels: groups},
		},
	}
}
