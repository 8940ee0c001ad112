package indicators

import "zengshou/schemas"

// HousingSafeRate is, among roster households with a row in this period's
// housing snapshot (the appraisal in force), the share whose dwelling is
// not (C级 or D级 and not 竣工): A级, B级, or renovated. Each household
// counts 1 in the denominator. Target 1.0 at every level. The snapshot
// restates every appraisal each month, so only this period's delivery
// decides `complete` (CurrentOnly).
var HousingSafeRate = Definition{
	Code: "HOUSING_SAFE_RATE", Unit: "比例", Ratio: true,
	Needs: []string{schemas.Roster, schemas.Housing}, CurrentOnly: true,
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		for h, hh := range p.Households {
			if !p.HouseholdFlag(schemas.HousingAppraised, h) {
				continue
			}
			grade := p.HouseholdText(schemas.HousingGrade, h)
			unsafe := (grade == "C级" || grade == "D级") && p.HouseholdText(schemas.HousingRenovationStatus, h) != "竣工"
			acc.Add(hh.County, isRelocated(p, hh.Head), bit(!unsafe), 1)
		}
	},
	Target: everyLevel(1),
}
