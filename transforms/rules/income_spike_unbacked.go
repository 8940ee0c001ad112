package rules

import (
	"fmt"

	"zengshou/transforms/income"
)

// IncomeSpikeUnbacked (算账增收 risk): the household has December Y−1
// figures — per-capita net income prev > 0 (History.PrevYearPerCapita) and
// department-verified per-capita income prevV
// (History.PrevYearVerifiedPerCapita) — and, with S = size × m,
// N = net × 12 and V = (wage_verified + transfer_dept) × 12 (so N/S and
// V/S are the annualized per-capita figures):
//
//   - N/S ≥ 1.5 × prev, exactly 2N ≥ 3 × prev × S, and
//   - the verified rise is less than half the net rise,
//     V/S − prevV < (N/S − prev) / 2, exactly 2(V − prevV × S) < N − prev × S.
//
// No finding without last year's figures or with prev ≤ 0 (no ratio).
var IncomeSpikeUnbacked = Rule{
	Code: "INCOME_SPIKE_UNBACKED", Severity: Medium,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			key := p.HouseholdKeys[inc.Index]
			prev, ok := p.History.PrevYearPerCapita[key]
			prevV, okV := p.History.PrevYearVerifiedPerCapita[key]
			if !ok || !okV || prev <= 0 {
				continue
			}
			s := inc.Size * inc.Months
			n := inc.NetIncome * 12
			verified := inc.WageVerified + inc.TransferDept
			v := verified * 12
			if 2*n < 3*prev*s || 2*(v-prevV*s) >= n-prev*s {
				continue
			}
			ratio := income.DivRound(n*100, prev*s)
			netNow, verNow := inc.PerCapitaAnnualized, annualized(verified, inc)
			emit(householdFinding(p, inc.Index, fmt.Sprintf("年化人均纯收入 %s 元, 为上年 %s 元的 %d.%02d 倍; 部门核实人均收入(工资+部门转移)年化 %s 元, 较上年 %s 元%s, 不到人均纯收入增加额 %s 元的一半, 请入户核实收入来源 (算账增收风险)",
				yuan(netNow), yuan(prev), ratio/100, ratio%100, yuan(verNow), yuan(prevV), change(verNow-prevV), yuan(netNow-prev))))
		}
	},
}

// change words a signed difference in fen: "增加 12.00 元" or "减少 12.00 元".
func change(d int64) string {
	if d < 0 {
		return fmt.Sprintf("减少 %s 元", yuan(-d))
	}
	return fmt.Sprintf("增加 %s 元", yuan(d))
}
