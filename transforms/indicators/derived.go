package indicators

// derived computes indicators defined on other indicators' rows:
// INCOME_RATIO_TO_RURAL = PER_CAPITA_NET_INCOME / rural income of the year,
// and PER_CAPITA_INCOME_GROWTH (growth.go).
func derived(in *Input, rows []Row) []Row {
	var out []Row
	rural := float64(in.P.Year.RuralIncome)
	target := in.P.Year.IncomeRatioTarget
	for _, r := range rows {
		if r.Code != PerCapitaNetIncome.Code || r.Level == LevelGroup {
			continue
		}
		t := target
		out = append(out, Row{
			Code: DerivedCodes[0], Level: r.Level, Region: r.Region, RegionName: r.RegionName,
			Value: r.Value / rural, Target: &t, Unit: "比例", Complete: r.Complete,
			Numerator: r.Value, Denominator: rural,
		})
	}
	return append(out, incomeGrowth(in, rows)...)
}
