package indicators

import "zengshou/schemas"

// InsuredRate is, among living roster persons (no death registration dated
// on or before the end of P in Y-01..P), the share with 参保状态 正常参保 for
// 参保年度 Y in this period's medical extract. Target 1.0 at every level.
//
// The medical extract restates each person's insurance status for the year,
// so only this period's delivery decides `complete` (CurrentOnly): a month
// missing earlier in the year does not change the value.
var InsuredRate = Definition{
	Code: "INSURED_RATE", Unit: "比例", Ratio: true,
	Needs: []string{schemas.Roster, schemas.Medical}, CurrentOnly: true,
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		for _, hh := range p.Households {
			relocated := isRelocated(p, hh.Head)
			for _, m := range hh.Members {
				if p.PersonYTD(m).Deceased {
					continue
				}
				var insured int64
				if p.Facts.Insured[m] {
					insured = 1
				}
				acc.Add(hh.County, relocated, insured, 1)
			}
		}
	},
	Target: everyLevel(1),
}
