package indicators

import (
	"zengshou/schemas"
	"zengshou/transforms/join"
)

// InsuredRate is, among living roster persons (not Period.Deceased: no
// death registration by the end of P, in any year), the share with 参保状态 正常参保 for
// 参保年度 Y in this period's medical extract. Target 1.0 at every level.
//
// The medical extract restates each person's insurance status for the year,
// so only this period's delivery decides `complete` (CurrentOnly): a month
// missing earlier in the year does not change the value.
var InsuredRate = Definition{
	Code: "INSURED_RATE", Unit: "比例", Ratio: true,
	Needs: []string{schemas.Roster, schemas.Medical}, CurrentOnly: true,
	Measure: func(in *Input, acc *Acc) {
		eachPerson(in.P, func(hh join.Household, m int32, relocated bool) {
			if !in.P.Deceased(m) {
				acc.Add(hh.County, relocated, bit(in.P.PersonFlag(schemas.Insured, m)), 1)
			}
		})
	},
	Target: everyLevel(1),
}
