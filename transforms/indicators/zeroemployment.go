package indicators

import (
	"zengshou/schemas"
	"zengshou/transforms/join"
	"zengshou/transforms/model"
)

// ZeroEmploymentHouseholds counts the 零就业家庭: roster households with
// has_labor_member (some member 普通劳动力, 技能劳动力 or 弱劳动力或半劳动力)
// and no member with an employment row 务工就业 or 灵活就业 in Y-01..P.
// Province target 0 (absolute: null below the province).
var ZeroEmploymentHouseholds = Definition{
	Code: "ZERO_EMPLOYMENT_HOUSEHOLDS", Unit: "户",
	Needs: []string{schemas.Roster, schemas.Employment},
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		for _, r := range in.Incomes {
			hh := p.Households[r.Index]
			if r.HasLaborMember && !householdEmployed(p, hh) {
				acc.Add(hh.County, isRelocated(p, hh.Head), 1, 0)
			}
		}
	},
	Target: provinceOnly(0),
}

// householdEmployed: some member was employed in Y-01..P.
func householdEmployed(p *model.Period, hh join.Household) bool {
	for _, m := range hh.Members {
		if p.PersonEverInYear(schemas.Employed, m) {
			return true
		}
	}
	return false
}
