package rules

import (
	"fmt"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

// HousingUnsafeNotPlanned (应改尽改): the household's appraisal in force
// (this period's housing snapshot) is C级 or D级, the renovation is not
// 竣工, and the dwelling is not in the year's 危房改造 plan.
var HousingUnsafeNotPlanned = Rule{
	Code: "HOUSING_UNSAFE_NOT_PLANNED", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h := range p.Households {
			if !housingUnsafe(p, h) || p.HouseholdFlag(schemas.HousingInPlan, h) {
				continue
			}
			emit(householdFinding(p, h, fmt.Sprintf("住房安全鉴定为 %s (鉴定年月 %s), 未竣工且未纳入危房改造计划, 请按应改尽改纳入改造计划",
				p.HouseholdText(schemas.HousingGrade, h), p.HouseholdMonth(schemas.HousingAppraisalMonth, h))))
		}
	},
}

// housingUnsafe: the appraisal in force is C级 or D级 and the renovation is
// not 竣工.
func housingUnsafe(p *model.Period, h int) bool {
	if !p.HouseholdFlag(schemas.HousingAppraised, h) {
		return false
	}
	grade := p.HouseholdText(schemas.HousingGrade, h)
	return (grade == "C级" || grade == "D级") && p.HouseholdText(schemas.HousingRenovationStatus, h) != "竣工"
}
