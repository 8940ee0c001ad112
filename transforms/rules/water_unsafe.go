package rules

import (
	"fmt"
	"strings"

	"zengshou/schemas"
)

// waterCriteria are the four 饮水安全 criteria and their Chinese names.
var waterCriteria = []struct{ column, name string }{
	{schemas.WaterQuantityOK, "水量"},
	{schemas.WaterQualityOK, "水质"},
	{schemas.WaterConvenienceOK, "用水方便"},
	{schemas.WaterAssuranceOK, "供水保证率"},
}

// WaterUnsafe: the household's assessment in force (this period's water
// snapshot) has any of 水量, 水质, 用水方便, 供水保证率 not 达标.
var WaterUnsafe = Rule{
	Code: "WATER_UNSAFE", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h := range p.Households {
			if !p.HouseholdFlag(schemas.WaterAssessed, h) {
				continue
			}
			var failed []string
			for _, c := range waterCriteria {
				if !p.HouseholdFlag(c.column, h) {
					failed = append(failed, c.name)
				}
			}
			if len(failed) == 0 {
				continue
			}
			emit(householdFinding(p, h, fmt.Sprintf("饮水安全评估 (评估年月 %s, %s) %s 未达标, 请落实供水保障措施",
				p.HouseholdMonth(schemas.WaterAssessmentMonth, h), p.HouseholdText(schemas.WaterSupplyMode, h), strings.Join(failed, "、"))))
		}
	},
}
