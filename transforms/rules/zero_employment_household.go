package rules

import "fmt"

// ZeroEmploymentHousehold (零就业家庭), as the ZERO_EMPLOYMENT_HOUSEHOLDS
// indicator: a household with has_labor_member and no member employed
// (employed in some month of Y-01..P).
var ZeroEmploymentHousehold = Rule{
	Code: "ZERO_EMPLOYMENT_HOUSEHOLD", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			hh := p.Households[inc.Index]
			if !inc.HasLaborMember || anyEmployed(p, hh) {
				continue
			}
			emit(householdFinding(p, inc.Index, fmt.Sprintf("有劳动能力成员 %d 人, %s 无成员就业记录 (零就业家庭), 请优先落实就业帮扶",
				laborMembers(p, hh), yearToDate(p))))
		}
	},
}
