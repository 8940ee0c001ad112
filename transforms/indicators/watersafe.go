package indicators

import "zengshou/schemas"

// WaterSafeRate is, among roster households with a row in this period's
// water snapshot (the assessment in force), the share with all four
// criteria (水量, 水质, 用水方便, 供水保证率) 达标. Each household counts 1 in
// the denominator. Target 1.0 at every level; CurrentOnly as
// HousingSafeRate.
var WaterSafeRate = Definition{
	Code: "WATER_SAFE_RATE", Unit: "比例", Ratio: true,
	Needs: []string{schemas.Roster, schemas.Water}, CurrentOnly: true,
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		for h, hh := range p.Households {
			if !p.HouseholdFlag(schemas.WaterAssessed, h) {
				continue
			}
			safe := p.HouseholdFlag(schemas.WaterQuantityOK, h) && p.HouseholdFlag(schemas.WaterQualityOK, h) &&
				p.HouseholdFlag(schemas.WaterConvenienceOK, h) && p.HouseholdFlag(schemas.WaterAssuranceOK, h)
			acc.Add(hh.County, isRelocated(p, hh.Head), bit(safe), 1)
		}
	},
	Target: everyLevel(1),
}
