package rules

import (
	"fmt"

	"zengshou/schemas"
)

// SeasonalWaterShortage: the household's water row of this period reports
// 季节性缺水 是.
var SeasonalWaterShortage = Rule{
	Code: "SEASONAL_WATER_SHORTAGE", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h := range p.Households {
			if !p.HouseholdFlag(schemas.WaterAssessed, h) || !p.HouseholdFlag(schemas.WaterSeasonalShortage, h) {
				continue
			}
			emit(householdFinding(p, h, fmt.Sprintf("%s 报告季节性缺水 (%s), 请落实应急送水或备用水源",
				p.Month, p.HouseholdText(schemas.WaterSupplyMode, h))))
		}
	},
}
