package rules

import "fmt"

// RelocatedNoEmployment: a relocated household (是否易地搬迁 是 on the 户主
// row, else the first member) with has_labor_member and no member employed
// (employed in some month of Y-01..P). Such a household is also a
// ZERO_EMPLOYMENT_HOUSEHOLD; this rule names the relocation follow-up.
var RelocatedNoEmployment = Rule{
	Code: "RELOCATED_NO_EMPLOYMENT", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			hh := p.Households[inc.Index]
			if !p.RosterBool("is_relocated", hh.Head) || !inc.HasLaborMember || anyEmployed(p, hh) {
				continue
			}
			emit(householdFinding(p, inc.Index, fmt.Sprintf("易地搬迁户有劳动能力成员 %d 人, %s 无成员就业记录, 请落实搬迁后续就业帮扶",
				laborMembers(p, hh), yearToDate(p))))
		}
	},
}
