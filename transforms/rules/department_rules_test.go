package rules_test

import (
	"testing"

	"zengshou/transforms/model"
	"zengshou/transforms/rules"
)

// The period of every case is 2025-06 (june2025).

func TestHousingUnsafeNotPlanned(t *testing.T) {
	h := func(no string, grade string, inPlan bool, status string) house {
		return house{no: no, members: []person{{}}, set: facts(dwelling(grade, "2025-03", inPlan, status))}
	}
	runRule(t, rules.HousingUnsafeNotPlanned, false, []ruleCase{{
		name: "a C级 or D级 dwelling, not 竣工 and not in the plan fires (应改尽改)",
		world: world{households: []house{
			h("c-not-planned", "C级", false, ""),
			h("d-not-started", "D级", false, "未开工"),
			h("d-planned", "D级", true, "在建"),             // in the plan: STALLED's business
			h("c-completed", "C级", false, "竣工"),          // renovated: safe
			h("b-not-planned", "B级", false, ""),          // B级 is safe
			{no: "not-appraised", members: []person{{}}}, // no housing row
		}},
		fires: []string{"c-not-planned", "d-not-started"},
		details: map[string]string{
			"c-not-planned": "住房安全鉴定为 C级 (鉴定年月 2025-03), 未竣工且未纳入危房改造计划, 请按应改尽改纳入改造计划",
		},
	}})
}

func TestHousingRenovationStalled(t *testing.T) {
	h := func(no, grade, appraised, status string, inPlan bool) house {
		return house{no: no, members: []person{{}}, set: facts(dwelling(grade, appraised, inPlan, status))}
	}
	runRule(t, rules.HousingRenovationStalled, false, []ruleCase{{
		// 2025-06 − 2024-05 = 13 months > 12; 2025-06 − 2024-06 = 12, not more.
		name: "a planned C/D renovation not 竣工 more than 12 months after the appraisal fires",
		world: world{households: []house{
			h("thirteen-months", "D级", "2024-05", "在建", true),
			h("twelve-months", "D级", "2024-06", "在建", true),
			h("old-not-started", "C级", "2023-01", "未开工", true),
			h("old-completed", "C级", "2023-01", "竣工", true),
			h("old-not-planned", "C级", "2023-01", "", false), // NOT_PLANNED's business
			h("old-a", "A级", "2023-01", "", true),
		}},
		fires: []string{"thirteen-months", "old-not-started"},
		details: map[string]string{
			"thirteen-months": "住房安全鉴定为 D级 (鉴定年月 2024-05), 已纳入改造计划, 鉴定后 13 个月仍未竣工 (改造状态 在建), 请督促改造进度",
			"old-not-started": "住房安全鉴定为 C级 (鉴定年月 2023-01), 已纳入改造计划, 鉴定后 29 个月仍未竣工 (改造状态 未开工), 请督促改造进度",
		},
	}})
}

func TestWaterUnsafe(t *testing.T) {
	h := func(no string, quantity, quality, convenience, assurance bool) house {
		return house{no: no, members: []person{{}}, set: facts(water("2025-04", false, quantity, quality, convenience, assurance))}
	}
	runRule(t, rules.WaterUnsafe, false, []ruleCase{{
		name: "any of the four criteria not 达标 fires; the detail lists them in order",
		world: world{households: []house{
			h("quality", true, false, true, true),
			h("quantity-assurance", false, true, true, false),
			h("convenience", true, true, false, true),
			h("all-ok", true, true, true, true),
			{no: "not-assessed", members: []person{{}}},
		}},
		fires: []string{"quality", "quantity-assurance", "convenience"},
		details: map[string]string{
			"quality":            "饮水安全评估 (评估年月 2025-04, 分散供水) 水质 未达标, 请落实供水保障措施",
			"quantity-assurance": "饮水安全评估 (评估年月 2025-04, 分散供水) 水量、供水保证率 未达标, 请落实供水保障措施",
		},
	}})
}

func TestSeasonalWaterShortage(t *testing.T) {
	runRule(t, rules.SeasonalWaterShortage, false, []ruleCase{{
		name: "季节性缺水 是 this period fires, whatever the criteria",
		world: world{households: []house{
			{no: "short", members: []person{{}}, set: facts(water("2025-04", true, true, true, true, true))},
			{no: "short-and-unsafe", members: []person{{}}, set: facts(water("2025-04", true, false, true, true, true))},
			{no: "not-short", members: []person{{}}, set: facts(water("2025-04", false, true, true, true, true))},
			{no: "not-assessed", members: []person{{}}},
		}},
		fires: []string{"short", "short-and-unsafe"},
		details: map[string]string{
			"short": "2025-06 报告季节性缺水 (分散供水), 请落实应急送水或备用水源",
		},
	}})
}

func TestCollectiveShareMissing(t *testing.T) {
	h := func(no, village, typ string, sets ...func(p *model.Period, h int)) house {
		return house{no: no, village: village, typ: typ, members: []person{{}}, set: facts(sets...)}
	}
	const paying, other = "360731100001", "360731100002"
	runRule(t, rules.CollectiveShareMissing, false, []ruleCase{{
		name: "a 脱贫/监测 household of a village that paid dividends this year, with no distribution itself, fires",
		world: world{households: []house{
			// The village paid this month (to some household on the roster or not).
			h("left-out", paying, "脱贫户", villageDividend),
			h("monitored-left-out", paying, "边缘易致贫户"),
			h("got-labour-share", paying, "脱贫户", received(true)),
			h("got-share-in-march", paying, "脱贫户", received(false)),
			// The other village paid in an earlier month of the year.
			h("earlier-village", other, "脱贫不稳定户", villageDividendBefore),
		}},
		fires: []string{"left-out", "monitored-left-out", "earlier-village"},
		details: map[string]string{
			"left-out": "本村 2025-01 至 2025-06 已向农户按股分红, 该户 (脱贫户) 同期未获村集体收益分配, 请按收益分配重点倾斜要求核实",
		},
	}, {
		name: "no dividend in the village this year: nothing fires",
		world: world{households: []house{
			h("no-dividend", other, "脱贫户"),
		}},
	}})
}
