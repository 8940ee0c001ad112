package indicators

import "zengshou/schemas"

// RelocatedEmploymentCoverage is, among relocated roster households (the
// 户主 row's 是否易地搬迁, of any 户类型) with has_labor_member, the share
// with at least one member employed (务工就业 or 灵活就业) in Y-01..P. Each
// household counts 1 in the denominator and 1 or 0 in the numerator. Target
// 1.0 at every level.
var RelocatedEmploymentCoverage = Definition{
	Code: "RELOCATED_EMPLOYMENT_COVERAGE", Unit: "比例", Ratio: true,
	Needs: []string{schemas.Roster, schemas.Employment},
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		for _, r := range in.Incomes {
			hh := p.Households[r.Index]
			if !isRelocated(p, hh.Head) || !r.HasLaborMember {
				continue
			}
			acc.Add(hh.County, true, bit(householdEmployed(p, hh)), 1)
		}
	},
	Target: everyLevel(1),
}
