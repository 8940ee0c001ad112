package indicators

import "zengshou/transforms/model"

// incomeGrowthCode is PER_CAPITA_INCOME_GROWTH, registered in DerivedCodes.
const incomeGrowthCode = "PER_CAPITA_INCOME_GROWTH"

// incomeGrowth derives PER_CAPITA_INCOME_GROWTH = PER_CAPITA_NET_INCOME at P
// / its December Y-1 value − 1 for the province, every city and county and
// both groups, from this period's rows and History.PrevYearIndicators.
// Numerator and denominator are the two values; complete is the
// PER_CAPITA_NET_INCOME row's.
//
// A region gets no row when December Y-1 has no value for it (or 0), or when
// it has no 脱贫人口 household this period (its value 0 is no income, and
// "−100 %" would be false).
//
// Targets are relational: the KEY_COUNTIES row carries the province's growth,
// which it must exceed; the RELOCATED row carries the province's growth,
// which it must reach (≥); the province row carries the national rural
// income growth of Y when configured; cities and counties carry none. With
// no province growth the group targets are null.
func incomeGrowth(in *Input, rows []Row) []Row {
	prev := in.P.History.PrevYearIndicators
	var out []Row
	var province *float64
	for _, r := range rows {
		if r.Code != PerCapitaNetIncome.Code || r.Denominator == 0 {
			continue
		}
		last := prev[model.IndicatorKey{Code: r.Code, Level: r.Level, Region: r.Region}]
		if last == 0 {
			continue
		}
		g := Row{
			Code: incomeGrowthCode, Level: r.Level, Region: r.Region, RegionName: r.RegionName,
			Value: r.Value/last - 1, Unit: "比例", Complete: r.Complete,
			Numerator: r.Value, Denominator: last,
		}
		if r.Level == LevelProvince {
			v := g.Value
			province = &v
			if n := in.P.Year.NationalRuralGrowth; n != nil {
				t := *n
				g.Target = &t
			}
		}
		out = append(out, g)
	}
	for i := range out {
		if out[i].Level == LevelGroup && province != nil {
			t := *province
			out[i].Target = &t
		}
	}
	return out
}
