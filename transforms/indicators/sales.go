package indicators

import "zengshou/schemas"

// HelpSales sums 销售金额 of assistance-product sales in Y-01..P by producing
// county, in yuan (target ¥140亿 at province level).
var HelpSales = Definition{
	Code: "HELP_SALES", Unit: "元", Fen: true,
	Needs: []string{schemas.Sales},
	Measure: func(in *Input, acc *Acc) {
		fen := map[string]int64{}
		for county, v := range in.P.History.SalesYTD {
			fen[county] += v
		}
		for _, s := range in.P.Sales {
			fen[s.County] += s.Amount
		}
		for county, v := range fen {
			acc.Add(county, false, v, 0)
		}
	},
	Target: func(in *Input, level string) *float64 {
		return provinceOnly(in.P.Params.Targets.HelpSalesYuan)(in, level)
	},
}
