package indicators

import (
	"zengshou/schemas"
	"zengshou/transforms/model"
)

// incomeSources are the extracts household income is built from.
var incomeSources = []string{schemas.Roster, schemas.HouseholdIncome, schemas.Employment,
	schemas.Civil, schemas.Pension, schemas.Education}

// PerCapitaNetIncome is Σ net income / Σ household size over 脱贫人口
// households, annualized (× 12 / m), in yuan. The province target is the
// year's ratio target × the provincial rural per-capita disposable income.
var PerCapitaNetIncome = Definition{
	Code: "PER_CAPITA_NET_INCOME", Unit: "元/人", Ratio: true, Groups: true, Fen: true,
	Needs: incomeSources,
	Measure: func(in *Input, acc *Acc) {
		perCapita(in, acc, func(p *model.Period, head int32) bool { return isPovertyAlleviated(p, head) })
	},
	Scale: annualize,
	Target: func(in *Input, level string) *float64 {
		return provinceOnly(in.P.Year.IncomeRatioTarget*float64(in.P.Year.RuralIncome))(in, level)
	},
}

// MonitoredPerCapitaNetIncome is PerCapitaNetIncome over the households of
// monitoring objects.
var MonitoredPerCapitaNetIncome = Definition{
	Code: "MONITORED_PER_CAPITA_NET_INCOME", Unit: "元/人", Ratio: true, Fen: true,
	Needs: incomeSources,
	Measure: func(in *Input, acc *Acc) {
		perCapita(in, acc, func(p *model.Period, head int32) bool { return isMonitored(p, head) })
	},
	Scale: annualize,
}

func perCapita(in *Input, acc *Acc, include func(*model.Period, int32) bool) {
	p := in.P
	for _, r := range in.Incomes {
		hh := p.Households[r.Index]
		if !include(p, hh.Head) {
			continue
		}
		acc.Add(hh.County, isRelocated(p, hh.Head), r.NetIncome, r.Size)
	}
}

func annualize(in *Input) float64 {
	return 12 / float64(in.P.MonthsElapsed())
}
