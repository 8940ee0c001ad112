package rules

import (
	"fmt"

	"zengshou/schemas"
	"zengshou/transforms/model"
)

// CollectiveShareMissing (收益分配重点倾斜): the household's village paid
// 按股分红 to some household (on the roster or not) in Y-01..P, and this
// 脱贫 or monitored household received no collective distribution in
// Y-01..P.
var CollectiveShareMissing = Rule{
	Code: "COLLECTIVE_SHARE_MISSING", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for h, hh := range p.Households {
			typ := householdType(p, hh)
			if !model.IsPovertyAlleviated(typ) && !model.IsMonitored(typ) {
				continue
			}
			if !p.HouseholdFlag(schemas.CollectiveVillagePaid, h) || p.HouseholdFlag(schemas.CollectiveReceived, h) {
				continue
			}
			emit(householdFinding(p, h, fmt.Sprintf("本村 %s 已向农户按股分红, 该户 (%s) 同期未获村集体收益分配, 请按收益分配重点倾斜要求核实",
				yearToDate(p), typ)))
		}
	},
}
