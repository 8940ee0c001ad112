package indicators

// floorTargetYear is the year by which every household with labour and
// without safety-net support must exceed the per-capita floor (方案 一(二):
// 2025年底人均纯收入超过1万元); earlier years carry no target.
const floorTargetYear = 2025

// ShareAbove10k is, among roster persons of households with has_labor_member
// and not is_safety_net, the share whose household's annualized per-capita
// net income is at least the floor (10 000 yuan; income.Household.
// Below10kTarget is false). Persons are counted as rows of the roster, not
// by 家庭人口数. Target 1.0 at every level in 2025, null in other years.
var ShareAbove10k = Definition{
	Code: "SHARE_ABOVE_10K", Unit: "比例", Ratio: true,
	Needs: incomeSources,
	Measure: func(in *Input, acc *Acc) {
		p := in.P
		for _, r := range in.Incomes {
			if !r.HasLaborMember || r.IsSafetyNet {
				continue
			}
			hh := p.Households[r.Index]
			persons := int64(len(hh.Members))
			var above int64
			if !r.Below10kTarget {
				above = persons
			}
			acc.Add(hh.County, isRelocated(p, hh.Head), above, persons)
		}
	},
	Target: func(in *Input, level string) *float64 {
		if in.P.Month.Year() != floorTargetYear {
			return nil
		}
		return everyLevel(1)(in, level)
	},
}
