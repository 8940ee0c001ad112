package rules_test

import (
	"testing"

	"zengshou/schemas"
	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/rules"
)

func TestNotInsured(t *testing.T) {
	members := []person{
		{now: month{insured: true, subsidyCategory: "无"}},
		{},
		// Registered dead in an earlier period of this year, and in the year
		// before: dead either way.
		{deathBefore: "2025-03-15"},
		{now: month{deathDay: "2025-06-03"}},
		{deathBefore: "2024-11-15"},
	}
	household := house{no: "h", members: members}
	runRule(t, rules.NotInsured, true, []ruleCase{{
		name:  "living persons without 正常参保 for 2025 fire",
		world: world{households: []house{household}},
		fires: []string{personKey("h", 1)},
		details: map[string]string{
			personKey("h", 1): "本期医保数据中无 2025 年度正常参保记录, 请核实并动员参保",
		},
	}, {
		name:  "without this period's medical extract nobody's insurance is known",
		world: world{households: []house{household}, present: []string{schemas.Roster, schemas.Civil}},
	}})
}

func TestInsuranceSubsidyMissing(t *testing.T) {
	insured := func(category string) person { return person{now: month{insured: true, subsidyCategory: category}} }
	safetyNet := house{no: "safety-net", members: []person{
		{before: fixture.Before{Dibao: fixture.Yuan("600")}, now: month{insured: true, subsidyCategory: "全额资助"}},
		insured("无"),
	}}
	runRule(t, rules.InsuranceSubsidyMissing, true, []ruleCase{{
		name: "monitored or safety-net persons insured without subsidy fire",
		world: world{households: []house{
			{no: "monitored", typ: "脱贫不稳定户", members: []person{
				insured("无"),
				insured("全额资助"),
				insured("定额资助"),
				// Not insured: NOT_INSURED's, whatever the category.
				{now: month{subsidyCategory: "无"}},
			}},
			safetyNet,
			{no: "neither", typ: "脱贫户", members: []person{insured("无")}},
			{no: "both", typ: "边缘易致贫户", members: []person{
				{before: fixture.Before{Tekun: fixture.Yuan("300")}, now: month{insured: true, subsidyCategory: "无"}},
			}},
		}},
		fires: []string{personKey("monitored", 0), personKey("safety-net", 1), personKey("both", 0)},
		details: map[string]string{
			personKey("monitored", 0):  "已参保但资助参保类别为 无, 本户为监测对象(脱贫不稳定户), 应享受参保资助, 请核实并补办",
			personKey("safety-net", 1): "已参保但资助参保类别为 无, 本户为兜底户(本年有低保或特困供养), 应享受参保资助, 请核实并补办",
			personKey("both", 0):       "已参保但资助参保类别为 无, 本户为监测对象(边缘易致贫户)且为兜底户, 应享受参保资助, 请核实并补办",
		},
	}})
}

func TestStudentNoAid(t *testing.T) {
	runRule(t, rules.StudentNoAid, true, []ruleCase{{
		name: "students 在读 in 2025 with no aid in 2025-01..06 fire",
		world: world{households: []house{{no: "h", members: []person{
			// 在读 in an earlier month of the year, no aid since January.
			{before: fixture.Before{InSchool: true}},
			// 在读 this month.
			{now: month{studentStage: "初中", studentStatus: "在读"}},
			{before: fixture.Before{InSchool: true, EducationAid: fixture.Yuan("0.01")}},
			{now: month{studentStage: "小学", studentStatus: "在读", educationAid: fixture.Yuan("500")}},
			// Graduated: not a student this year.
			{now: month{studentStage: "高职", studentStatus: "毕业"}},
		}}}},
		fires: []string{personKey("h", 0), personKey("h", 1)},
		details: map[string]string{
			personKey("h", 0): "2025 年在读学生, 2025-01 至 2025-06 资助金额合计 0.00 元, 请核实资助资格 (应助尽助)",
			personKey("h", 1): "2025 年在读学生(初中), 2025-01 至 2025-06 资助金额合计 0.00 元, 请核实资助资格 (应助尽助)",
		},
	}})
}

func TestDeceasedInRoster(t *testing.T) {
	runRule(t, rules.DeceasedInRoster, true, []ruleCase{{
		name: "persons registered dead by the end of the period fire, whatever the year of the registration",
		world: world{households: []house{{no: "h", members: []person{
			// Registered in March of this year.
			{deathBefore: "2025-03-15"},
			// Registered this month.
			{now: month{deathDay: "2025-06-03"}},
			{},
			// Registered in November of the year before, still on the roster.
			{deathBefore: "2024-11-15"},
			// Registered this month with a 死亡日期 in the year before.
			{now: month{deathDay: "2024-12-20"}},
			// Registered before the death dates were recorded (date unknown).
			{deathBefore: "1970-01-01"},
		}}}},
		fires: []string{personKey("h", 0), personKey("h", 1), personKey("h", 3), personKey("h", 4), personKey("h", 5)},
		details: map[string]string{
			personKey("h", 0): "民政死亡登记日期 2025-03-15, 本人仍在帮扶对象名册中, 请核实并办理减员",
			personKey("h", 1): "民政死亡登记日期 2025-06-03, 本人仍在帮扶对象名册中, 请核实并办理减员",
			personKey("h", 3): "民政死亡登记日期 2024-11-15, 本人仍在帮扶对象名册中, 请核实并办理减员",
			personKey("h", 4): "民政死亡登记日期 2024-12-20, 本人仍在帮扶对象名册中, 请核实并办理减员",
			personKey("h", 5): "已有民政死亡登记, 本人仍在帮扶对象名册中, 请核实并办理减员",
		},
	}})
}
