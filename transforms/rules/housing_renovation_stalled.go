package rules

import (
	"fmt"

	"zengshou/schemas"
)

// stalledAfterMonths is how long a C/D dwelling in the plan may wait for
// completion after its appraisal before HOUSING_RENOVATION_STALLED fires.
const stalledAfterMonths = 12

// HousingRenovationStalled: a C级/D级 dwelling in the 危房改造 plan, not
// 竣工, whose appraisal is more than 12 months before the period.
var HousingRenovationStalled = Rule{
	Code: "HOUSING_RENOVATION_STALLED", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h := range p.Households {
			if !housingUnsafe(p, h) || !p.HouseholdFlag(schemas.HousingInPlan, h) {
				continue
			}
			appraised := p.HouseholdMonth(schemas.HousingAppraisalMonth, h)
			months := int(p.Month - appraised)
			if months <= stalledAfterMonths {
				continue
			}
			status := p.HouseholdText(schemas.HousingRenovationStatus, h)
			if status == "" {
				status = "未填"
			}
			emit(householdFinding(p, h, fmt.Sprintf("住房安全鉴定为 %s (鉴定年月 %s), 已纳入改造计划, 鉴定后 %d 个月仍未竣工 (改造状态 %s), 请督促改造进度",
				p.HouseholdText(schemas.HousingGrade, h), appraised, months, status)))
		}
	},
}
