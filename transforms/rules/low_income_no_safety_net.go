package rules

import "fmt"

// LowIncomeNoSafetyNet (应保尽保): a household, of any type, whose
// annualized per-capita net income is below the rural 低保 standard of Y —
// exactly, net × 12 < standard × size × m in fen — and that is not
// is_safety_net (no member received 城乡低保 or 特困供养 in Y-01..P).
var LowIncomeNoSafetyNet = Rule{
	Code: "LOW_INCOME_NO_SAFETY_NET", Severity: High,
	Eval: func(in *Input, emit func(Finding)) {
		p := in.P
		for _, inc := range in.Incomes {
			if inc.IsSafetyNet || !belowAnnual(inc.NetIncome, inc, p.Year.DibaoStandard) {
				continue
			}
			emit(householdFinding(p, inc.Index, fmt.Sprintf("年化人均纯收入 %s 元, 低于农村低保标准 %d 元, 本年无低保或特困供养发放 (应保尽保)%s",
				yuan(inc.PerCapitaAnnualized), p.Year.DibaoStandard, noSurveyNote(inc))))
		}
	},
}
