package rules_test

import (
	"testing"

	"zengshou/transforms/internal/fixture"
	"zengshou/transforms/rules"
)

// employment builds a household whose members have the given 劳动能力 and
// employment: "" none, "before" in an earlier month, "now" this period.
func employment(no string, relocated bool, members ...[2]string) house {
	h := house{no: no, relocated: relocated}
	for _, m := range members {
		p := person{labor: m[0]}
		switch m[1] {
		case "before":
			p.before = fixture.Before{Employed: true}
		case "now":
			p.now.employed = true
		}
		h.members = append(h.members, p)
	}
	return h
}

func TestZeroEmploymentHousehold(t *testing.T) {
	runRule(t, rules.ZeroEmploymentHousehold, false, []ruleCase{{
		name: "households with labour and nobody employed this year fire",
		world: world{households: []house{
			employment("zero", false, [2]string{"普通劳动力", ""}, [2]string{"无劳动力", ""}),
			// Anyone's job counts, with labour or not.
			employment("employed-before", false, [2]string{"普通劳动力", ""}, [2]string{"无劳动力", "before"}),
			employment("employed-now", false, [2]string{"技能劳动力", "now"}),
			employment("no-labour", false, [2]string{"丧失劳动力", ""}, [2]string{"无劳动力", ""}),
			employment("weak-labour", true, [2]string{"弱劳动力或半劳动力", ""}),
		}},
		fires: []string{"zero", "weak-labour"},
		details: map[string]string{
			"zero": "有劳动能力成员 1 人, 2025-01 至 2025-06 无成员就业记录 (零就业家庭), 请优先落实就业帮扶",
		},
	}})
}

func TestRelocatedNoEmployment(t *testing.T) {
	runRule(t, rules.RelocatedNoEmployment, false, []ruleCase{{
		name: "relocated households with labour and nobody employed this year fire",
		world: world{households: []house{
			employment("relocated", true, [2]string{"普通劳动力", ""}, [2]string{"技能劳动力", ""}),
			employment("not-relocated", false, [2]string{"普通劳动力", ""}, [2]string{"技能劳动力", ""}),
			employment("relocated-employed", true, [2]string{"普通劳动力", ""}, [2]string{"技能劳动力", "now"}),
			employment("relocated-no-labour", true, [2]string{"无劳动力", ""}),
		}},
		fires: []string{"relocated"},
		details: map[string]string{
			"relocated": "易地搬迁户有劳动能力成员 2 人, 2025-01 至 2025-06 无成员就业记录, 请落实搬迁后续就业帮扶",
		},
	}})
}

func TestHouseholdSizeMismatch(t *testing.T) {
	sized := func(no string, sizes ...int64) house {
		h := house{no: no}
		for _, s := range sizes {
			h.members = append(h.members, person{size: s})
		}
		return h
	}
	runRule(t, rules.HouseholdSizeMismatch, false, []ruleCase{{
		name: "家庭人口数 differing among members or below the member count fires",
		world: world{households: []house{
			sized("differ", 3, 2),
			sized("below-count", 1, 1),
			sized("agree", 2, 2),
			// A member off the roster (away, married out) is no mismatch.
			sized("above-count", 3, 3),
		}},
		fires: []string{"differ", "below-count"},
		details: map[string]string{
			"differ":      "成员登记的家庭人口数为 3、2, 名册成员 2 人, 请核实并统一家庭人口数",
			"below-count": "成员登记的家庭人口数为 1, 名册成员 2 人, 请核实并统一家庭人口数",
		},
	}})
}
